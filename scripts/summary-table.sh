#!/usr/bin/env bash
# Writes results/summary.csv as a Markdown table into README.md, between the lines
# <!-- summary:begin --> and <!-- summary:end -->, so the README's reproduction table is always the one
# `make results` measured. Called by join-summary.sh; plain awk (RFC 4180 quotes handled).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f results/summary.csv ]] || exit 0
grep -q '^<!-- summary:begin -->$' README.md || exit 0
table=$(mktemp)
trap 'rm -f "$table"' EXIT
awk '
function parse(line,   i, c, f, q, n) {  # splits one CSV record into fld[1..n]
  n = 0; f = ""; q = 0
  for (i = 1; i <= length(line); i++) {
    c = substr(line, i, 1)
    if (q) {
      if (c == "\"" && substr(line, i + 1, 1) == "\"") { f = f "\""; i++ }
      else if (c == "\"") q = 0
      else f = f c
    } else if (c == "\"") q = 1
    else if (c == ",") { fld[++n] = f; f = "" }
    else f = f c
  }
  fld[++n] = f
  return n
}
function cell(s) { gsub(/\|/, "\\|", s); return s == "" ? "-" : s }
function num(s) { return s ~ /^-?[0-9]+\.[0-9]+([eE][-+]?[0-9]+)?$/ ? sprintf("%.6g", s) : s }  # README only
NR == 1 { print "| tool | claim | published | ours | status | note |"; print "| --- | --- | --- | --- | --- | --- |"; next }
{
  parse($0)
  # columns: tool, key, claim, source, published, ours, status, note
  status = fld[7] == "agrees" ? "agrees" : (fld[7] == "differs" ? "**differs**" : "new")
  print "| " cell(fld[1]) " | " cell(fld[3]) " | " cell(fld[5]) " | " cell(num(fld[6])) " | " status " | " cell(fld[8]) " |"
}' results/summary.csv > "$table"
out=$(mktemp README.md.tmp.XXXXXX)
awk -v table="$table" '
/^<!-- summary:begin -->$/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
/^<!-- summary:end -->$/ { skip = 0 }
!skip { print }' README.md > "$out"
mv "$out" README.md
