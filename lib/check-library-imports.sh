# shellcheck shell=bash
# The build of lib/replacements.nix's mkLibraryImportsCheck, sourced by a
# Nix builder: does the Rust library export every symbol, at its version,
# that the programs and libraries of a closure import from the C library
# it replaces?
#
# Environment:
#   closure       closureInfo of the roots (its store-paths)
#   original      the C library's package; rust: the Rust library's
#   originalName  their names, for messages; rustName likewise
#   pairs         "<lib>=<file>" words: lib/<lib> and lib/<lib>.* of the
#                 original are the Rust package's <file> (libz.so=lib/libz.so.1)
#   out           written: imports (symbol, then how many files import it),
#                 importers (one file a line)
#
# An ELF file imports from the library when its dynamic section NEEDs one
# of the original's lib/<lib>* names (libz.so.1); of its undefined dynamic
# symbols, those the original exports are the library's: `name@VERSION`
# when versioned (the Rust library must export that name at that version,
# or the dynamic loader refuses the program, or says "no version
# information available"), `name` when not (any version of the name
# will do). Read with binutils' readelf.
# shellcheck disable=SC2154 # the environment above, set by Nix
set -euo pipefail
export LC_ALL=C
mkdir -p "$out"

# Each library's names in the original's lib/, and its file there.
: >names
declare -A originalFile=()
for pair in $pairs; do
  l=${pair%%=*}
  for f in "$original/lib/$l" "$original/lib/$l".*; do
    if [ -e "$f" ] || [ -L "$f" ]; then
      basename "$f" >>names
      originalFile[$l]=$f
    fi
  done
  if [ -z "${originalFile[$l]:-}" ]; then
    echo "$originalName has no lib/$l*: nothing of it to check" >&2
    exit 1
  fi
done

# Every regular file of the closure whose dynamic section needs one of the
# names: readelf -d over all of them (non-ELF files make it complain on
# stderr and fail: its status is not the answer), /dev/null first so that
# every batch has two files and readelf names each ("File: ...").
tr '\n' '\0' <"$closure/store-paths" | xargs -0 sh -c 'find "$@" -type f -print0' find >files
xargs -0 sh -c 'readelf -d /dev/null "$@" 2>/dev/null; exit 0' readelf <files |
  awk 'FILENAME == ARGV[1] { want[$0] = 1; next }
       /^File: / { file = substr($0, 7); next }
       /\(NEEDED\)/ { lib = $NF; gsub(/[][]/, "", lib); if (lib in want) print file }' names - |
  sort -u >"$out/importers"

# A library's dynamic symbols: `U name@VERSION` / `D name@VERSION`, with an
# empty version when there is none; `@@` (the default version) read as `@`.
symbols() {
  readelf -W --dyn-syms "$1" |
    awk '$1 ~ /^[0-9]+:$/ && NF >= 8 {
           n = $8; sub(/@@/, "@", n); if (n !~ /@/) n = n "@"
           print ($7 == "UND" ? "U" : "D"), n }'
}

# What the importers import from the library, and what the Rust library
# lacks of it (in ./missing).
check_imports() {
  : >original-exports
  : >rust-exports
  for pair in $pairs; do
    l=${pair%%=*} f=${pair#*=}
    if [ ! -e "$rust/$f" ]; then
      echo "$rustName has no $f, which stands in for $originalName's lib/$l" >&2
      exit 1
    fi
    symbols "${originalFile[$l]}" | awk '$1 == "D" { print $2 }' >>original-exports
    symbols "$rust/$f" | awk '$1 == "D" { print $2 }' >>rust-exports
  done

  while IFS= read -r f; do
    symbols "$f" | awk -v f="$f" '$1 == "U" { print $2 "\t" f }'
  done <"$out/importers" >undefined

  awk -F '\t' -v imports="$out/imports" '
    function name(s) { sub(/@.*/, "", s); return s }
    FILENAME == ARGV[1] { orig[$1] = 1; origName[name($1)] = 1; next }
    FILENAME == ARGV[2] { rust[$1] = 1; rustName[name($1)] = 1; next }
    {
      s = $1; n = name(s); versioned = s !~ /@$/
      if (versioned ? !(s in orig) : !(n in origName)) next
      used[versioned ? s : n]++
      if (versioned ? !(s in rust) : !(n in rustName)) print (versioned ? s : n) "\t" $2 > "missing"
    }
    END { for (s in used) print s "\t" used[s] > imports }
  ' original-exports rust-exports undefined
  sort -o "$out/imports" "$out/imports"
}

if [ ! -s "$out/importers" ]; then
  : >"$out/imports"
  echo "no file of the closure links $(tr '\n' ' ' <names)"
else
  check_imports
  if [ -s missing ]; then
    {
      echo "$rustName cannot stand in for $originalName: programs of the system import symbols it does not export:"
      sort missing | awk -F '\t' '{ printf "  %s, imported by %s\n", $1, $2 }'
    } >&2
    exit 1
  fi
  echo "$(wc -l <"$out/importers") files import $(wc -l <"$out/imports") symbols of $originalName; $rustName exports every one"
fi
