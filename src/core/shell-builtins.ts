// Which shell words name builtins: commands exec form cannot run, having no program of their name.
/** Shell builtins with no executable of the same name: exec form cannot run them. */
const BUILTINS = new Set(
  (
    'exec cd source . export set unset eval trap ulimit umask alias unalias read wait shift return ' +
    'exit readonly local declare typeset hash type command builtin getopts jobs fg bg times let ' +
    'enable shopt : ['
  ).split(' '),
);

export const isShellBuiltin = (name: string): boolean => BUILTINS.has(name);
