#!/bin/sh
echo ok
