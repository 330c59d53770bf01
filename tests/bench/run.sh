#!/bin/sh
echo no benchmarks yet
