#!/bin/sh
# Usage: prefetch_compiled.sh OBJDUMP OBJECT...: the Adj-RIB-Out's and the prefix table's
# objects each contain a prefetch instruction (see tests/CMakeLists.txt for why).
objdump=$1
shift
checked=0
for o in "$@"; do
  case $o in
    *adj_rib_out* | *prefix_table*)
      checked=$((checked + 1))
      if ! "$objdump" -d "$o" | grep -q prefetcht0; then
        echo "no prefetch instruction in $o"
        exit 1
      fi
      ;;
  esac
done
[ "$checked" -eq 2 ] || { echo "expected 2 objects to check, found $checked"; exit 1; }
echo "prefetches present in both objects"
