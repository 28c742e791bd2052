# A uutils replacement for a GNU package: uutils for every command it has,
# GNU's binary for the rest (the fallbacks) and for the commands kept GNU on
# purpose (`keepGnu`; Ubuntu 26.04 keeps cp, mv and rm).
#
# Built under the exact store name of the GNU package it replaces:
# system.replaceDependencies rewrites store paths in place and refuses names
# of another length ("cannot rewrite ... length does not match",
# pkgs/build-support/replace-dependencies.nix).
#
# `missingInUutils` is what the evaluation knows without building
# (`oxidized.<component>.fallbacks`); the build checks it against the real
# packages and fails, naming the command, when it drifts.
{
  lib,
  runCommand,
  gnu,
  uutils,
  missingInUutils ? [],
  keepGnu ? [],
  # GNU command -> uutils binary for commands uutils installs under another
  # name (uutils-diffutils 0.4 installs only `diffutils`, which is a diff).
  aliases ? {},
}: let
  fallbacks = lib.unique (missingInUutils ++ keepGnu);
in
  runCommand gnu.name {
    passthru = {
      inherit fallbacks keepGnu gnu uutils missingInUutils aliases;
      replacementVersion = uutils.version;
    };
    meta = {
      description = "${uutils.pname or uutils.name} with GNU fallbacks, named as ${gnu.name}";
      inherit (uutils.meta) license platforms;
    };
  } ''
    mkdir -p $out/bin $out/nix-support
    for f in ${uutils}/bin/*; do
      ln -s "$f" "$out/bin/$(basename "$f")"
    done
    ${lib.concatStrings (lib.mapAttrsToList (name: target: ''
        if [ ! -e "$out/bin/${name}" ] && [ -e "${uutils}/bin/${target}" ]; then
          ln -s "${uutils}/bin/${target}" "$out/bin/${name}"
        fi
      '')
      aliases)}
    missing=""
    for f in ${gnu}/bin/*; do
      c=$(basename "$f")
      if [ ! -e "$out/bin/$c" ]; then
        ln -s "$f" "$out/bin/$c"
        missing="$missing $c"
      fi
    done
    declared=" ${lib.concatStringsSep " " missingInUutils} "
    for c in $missing; do
      case "$declared" in
        *" $c "*) ;;
        *)
          echo "${uutils.name} lacks '$c' that ${gnu.name} has: add it to missingInUutils (modules/oxidized)" >&2
          exit 1
          ;;
      esac
    done
    # ... and the other way round: a command declared missing that uutils
    # now has would be listed as a GNU fallback by mistake.
    for c in ${lib.escapeShellArgs missingInUutils}; do
      case " $missing " in
        *" $c "*) ;;
        *)
          echo "${uutils.name} now has '$c': remove it from missingInUutils (modules/oxidized)" >&2
          exit 1
          ;;
      esac
    done
    for c in ${lib.escapeShellArgs keepGnu}; do
      if [ ! -e "${gnu}/bin/$c" ]; then
        echo "keepGnu: ${gnu.name} has no command '$c'" >&2
        exit 1
      fi
      ln -sfn "${gnu}/bin/$c" "$out/bin/$c"
    done
    # Helper libraries (stdbuf's) and documentation stay GNU's.
    for d in libexec share; do
      if [ -d "${gnu}/$d" ]; then ln -s "${gnu}/$d" "$out/$d"; fi
    done
    printf '%s\n' ${lib.escapeShellArgs fallbacks} > $out/nix-support/gnu-fallbacks
  ''
