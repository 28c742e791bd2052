# nixos-rs' functions for downstream flakes: `nixos-rs.lib`. Takes nixpkgs'
# lib only; the functions that build something take what they need from
# pkgs as arguments.
{lib}: let
  replacements = import ./replacements.nix {inherit lib;};
in {
  # mkBootCheck { nixosConfiguration, timeout ?, idleTimeout ?, probes ?,
  # oxidation ?, requireRust ?, rustAtRuntime ?, login ?, extraSpec ?,
  # emulated ?, emulationSlowdown ?, forceSerialConsole ?, pkgs ?,
  # bootcheck ? }: a check that boots the configuration's VM, runs its
  # probes and measures how much of what runs is Rust (lib/boot-check.nix).
  mkBootCheck = import ./boot-check.nix {inherit lib;};

  # mkOxidationReport { nixosConfiguration, name ?, pkgs ?, bootcheck ? }:
  # how much of the system is Rust (JSON, Markdown, a headline);
  # mkOxidationCompare { before, after, pkgs }: what moved between two
  # (lib/oxidation-report.nix).
  inherit (import ./oxidation-report.nix {inherit lib;}) mkOxidationReport mkOxidationCompare;

  # mkSystemdOverlay { pkgs, rust, systemd ? pkgs.systemd, name ?, pid1 ?,
  # argv0 ?, passthru ? {} }: a Rust systemd over systemd's layout, with
  # systemd's passthru (lib/systemd.nix).
  mkSystemdOverlay = import ./systemd.nix {};

  # sameNameAs { runCommand, original, replacement, passthru ? {}, require ? [] }:
  # `replacement` under `original`'s store name, for system.replaceDependencies.
  # mkCommandReplacement { runCommand, original, rust, commands, keepGnu ? [], hint ? }:
  # a GNU package's commands from a Rust package, GNU's binary where the
  # Rust one has none (lib/replacements.nix).
  # sameNameLength old new: whether replaceDependencies can swap them.
  # mkLibraryReplacement { runCommand, original, rust, libs }: a C library's
  # package under its store name, its libraries from a Rust package;
  # mkLibraryImportsCheck { runCommand, closureInfo, binutils, rootPaths,
  # original, rust, libs }: a build that fails when the closure of
  # rootPaths imports a symbol the Rust library lacks (lib/replacements.nix).
  inherit (replacements) sameNameAs mkCommandReplacement splitCommands sameNameLength mkLibraryReplacement mkLibraryImportsCheck;

  # The type of oxidized.probes entries (name, component, command, expect,
  # timeout, ignore_exit, needsNixos), for tools that build probe lists of
  # their own.
  inherit (import ../modules/oxidized/lib.nix {inherit lib;}) probeType;
}
