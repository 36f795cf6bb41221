#!/usr/bin/env bash
# man-page.sh HELP2MAN TOOL OUT: TOOL's man page, by help2man from `TOOL --help` and `TOOL --version`,
# with a SUBCOMMANDS section made of every `TOOL SUBCOMMAND --help` (the build runs it; cmake/install.cmake).
set -euo pipefail
help2man=$1 tool=$2 out=$3
name=$(basename "$tool")
include=$(mktemp)

# roff-safe text: backslashes doubled, a leading . or ' escaped.
esc() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/" -e 's/-/\\-/g'; }

{
  printf '[SYNOPSIS]\n.B %s\n\\fISUBCOMMAND\\fR [\\fIoptions\\fR]\n.br\n.B %s\n\\fISUBCOMMAND\\fR \\fB\\-\\-help\\fR\n' "$name" "$name"
  echo '[SUBCOMMANDS]'
  "$tool" --help | sed -n '/^subcommands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }' | while read -r sub; do
    help=$("$tool" "$sub" --help)
    echo ".SS \"$name $sub\""
    # The first line is "TOOL SUB: summary"; then usage, the options, the columns and the notes.
    sed -n '1s/^[^:]*: //p' <<<"$help" | esc
    # Headings ("options:", "Columns ...:") in bold, each option or column a tagged paragraph.
    awk '
      NR == 1 { next }
      /^[A-Za-z].*:$/ { print ".PP\n.B " $0; mode = ($0 ~ /^Columns/) ? 2 : 1; next }
      /^usage: / { sub(/^usage: /, ""); print ".PP\n.B " $0; next }
      /^  / && mode {
        line = substr($0, 3)
        if (mode == 2) found = match(line, /^[^ ]+ +/)
        else found = match(line, /^((-[A-Za-z], )?--[A-Za-z0-9-]+( [A-Z][A-Z0-9_]*)?|[^ ]+ \.\.\.)( +|$)/)
        if (found) { left = substr(line, 1, RLENGTH); text = substr(line, RLENGTH + 1) } else { left = line; text = "" }
        sub(/ +$/, "", left)
        if (left == "--threads N") sub(/\[default: [0-9]+\]/, "[default: the number of hardware threads]", text)
        print ".TP\n.B " left; if (text != "") print text
        next
      }
      /^$/ { mode = 0; print ".PP"; next }
      { print }
    ' <<<"$help" | sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\([.']\)\([^A-Z]\)/\\\\\&\1\2/"
  done
} >"$include"

others=""
for t in abc-min attn-sweep jl-entropy quanta-scaling rnn-fixpoint score-w2; do
  [[ $t == "$name" ]] || others+="${others:+,\n}.BR $t (1)"
done
printf '[SEE ALSO]\n%b\n.PP\nThe derivations, the published figures against ours and the findings: docs/ of the source (README.md).\n' \
  "$others" >>"$include"

# help2man reads --help through a wrapper named like the tool: the summary as the description's first
# sentence, without the version line and the usage lines (NAME and SYNOPSIS say them).
summary=$("$tool" --help | sed -n '1s/^[^:]*: //p')
wrapper_dir=$(mktemp -d)
trap 'rm -f "$include"; rm -rf "$wrapper_dir"' EXIT
cat >"$wrapper_dir/$name" <<WRAPPER
#!/bin/sh
if [ "\$1" = --help ]; then
  printf '%s\n\n' "$name: $summary."
  "$tool" --help | sed -n '/^subcommands:/,\$p'
else
  exec "$tool" "\$@"
fi
WRAPPER
chmod +x "$wrapper_dir/$name"
"$help2man" --no-info --section 1 --name "$summary" --include "$include" --output "$out" "$wrapper_dir/$name"
