#!/usr/bin/env bash
# Workload "table-paths" (issue 9): four feeders with overlapping prefixes, best-path competition,
# about 50,000 attribute sets. See table.sh, which runs it.
TABLE_MODE=paths exec bash "$(dirname "${BASH_SOURCE[0]}")/table.sh" "$@"
