#!/usr/bin/env bash
# check.sh CHECK PREFIX SOURCE BUILD: one check of the moved install at PREFIX (setup.sh), run from a fresh
# directory outside the source and build trees. Exit 77 (skipped) when a program the check needs is missing.
set -euo pipefail
check=$1 prefix=$2 src=$3 build=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
tools=(abc-min attn-sweep jl-entropy quanta-scaling rnn-fixpoint score-w2)
need() { command -v "$1" >/dev/null || { echo "skipped: $1 is not installed (make deps installs it)"; exit 77; }; }
fail() { echo "FAIL: $*" >&2; exit 1; }

case $check in
find_package)  # a ten-line CMake project: find_package(mlderiv CONFIG REQUIRED), links mlderiv::rope
  cmake -S "$src/tests/install/consumer" -B consumer -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" >configure.log ||
    { cat configure.log; fail "the consumer does not configure"; }
  cmake --build consumer >build.log || { cat build.log; fail "the consumer does not build"; }
  out=$(consumer/rope_consumer) || fail "the consumer failed: $out"
  echo "$out"
  [[ $out == *"certified"* && $out != *"not certified"* ]] || fail "no certified f_b(m): $out"
  ;;
pkg_config)  # the same program built with pkg-config --cflags --libs mlderiv
  need pkg-config
  flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs mlderiv) || fail "pkg-config mlderiv"
  # shellcheck disable=SC2086
  c++ -O2 -o rope_consumer "$src/tests/install/consumer/main.cpp" $flags || fail "c++ ... \$(pkg-config --cflags --libs mlderiv)"
  out=$(./rope_consumer) || fail "the consumer failed: $out"
  echo "$out"
  [[ $out == *"certified"* && $out != *"not certified"* ]] || fail "no certified f_b(m): $out"
  ;;
tools)  # every tool from another directory: --version, --help, a run; no build or source path compiled in
  export PATH="$prefix/bin:$PATH"
  for t in "${tools[@]}"; do
    [[ $(command -v "$t") == "$prefix/bin/$t" ]] || fail "$t is not in $prefix/bin"
    [[ $("$t" --version) =~ ^$t\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "$t --version: $("$t" --version)"
    "$t" --help | grep -q "^usage: $t SUBCOMMAND" || fail "$t --help"
    for path in "$src" "$build"; do
      ! grep -q -a -F "$path" "$prefix/bin/$t" || fail "$prefix/bin/$t holds the path $path"
    done
  done
  abc-min solve 130 -q | grep -q '23' || fail "abc-min solve 130"
  rows=$(quanta-scaling fit --bootstrap 0 -q | grep -c '^5,240,') || fail "quanta-scaling fit did not find its data"
  [[ $rows -gt 0 ]] || fail "quanta-scaling fit: no rows on the 240 Chinchilla runs"
  echo "6 tools run from $work; quanta-scaling fit read $prefix/share/mlderiv/chinchilla_fig4.csv"
  ;;
man)  # man -l renders every page without a warning
  need man
  for t in "${tools[@]}"; do
    page="$prefix/share/man/man1/$t.1"
    [[ -f $page ]] || { command -v help2man >/dev/null || { echo "skipped: built without help2man"; exit 77; }; fail "no man page $page"; }
    warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
    [[ -z $warnings ]] || fail "man -l $page: $warnings"
    MANWIDTH=80 man -l "$page" 2>/dev/null | grep -q "^SUBCOMMANDS" || fail "$page has no SUBCOMMANDS section"
  done
  echo "6 man pages render without warnings"
  ;;
completion)  # the completion scripts load in bash and complete subcommands and options
  need bash
  dir="$prefix/share/bash-completion/completions"
  offers() {  # offers TOOL WORD...: what TAB offers on the command line TOOL WORD... (the last word being typed)
    bash -c 'source "$1/$2" && shift && COMP_WORDS=("$@") && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) &&
             "_mlderiv_${COMP_WORDS[0]//-/_}" && echo "${COMPREPLY[*]}"' _ "$dir" "$@"
  }
  for t in "${tools[@]}"; do
    [[ -n $(offers "$t" "") ]] || fail "$t: the completion offers no subcommand"
  done
  got=$(offers attn-sweep rope-)
  [[ $got == "rope-base rope-curves rope-law rope-recommend" ]] || fail "attn-sweep rope-<TAB> gives '$got'"
  got=$(offers abc-min solve --qu)
  [[ $got == "--quiet" ]] || fail "abc-min solve --qu<TAB> gives '$got'"
  echo "attn-sweep rope-<TAB>: rope-base rope-curves rope-law rope-recommend"
  ;;
python)  # the package mlderiv from the install's site directory: imports, runs, agrees with the installed tool
  shopt -s nullglob
  sites=("$prefix"/lib/python3*/*-packages)
  [[ ${#sites[@]} -eq 1 && -f ${sites[0]}/mlderiv/__init__.py ]] || { echo "skipped: built without the Python module"; exit 77; }
  export PATH="$prefix/bin:$PATH"
  got=$(PYTHONPATH="${sites[0]}" /usr/bin/python3 -c 'import mlderiv; r = mlderiv.abc.min_sum(130); print(mlderiv.__file__, mlderiv.__version__, r["a"], r["b"], r["c"], r["S"])') ||
    fail "import mlderiv from ${sites[0]}"
  echo "$got"
  [[ $got == "${sites[0]}/mlderiv/__init__.py "* ]] || fail "mlderiv was not imported from the install: $got"
  [[ ${got#* } == "$(abc-min --version | cut -d' ' -f2) $(abc-min solve 130 -q | sed -n 2p | cut -d, -f2-5 | tr , ' ')" ]] ||
    fail "the installed module disagrees with the installed abc-min: $got"
  ;;
*) fail "unknown check $check" ;;
esac
