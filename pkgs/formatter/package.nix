# The flake's formatter: treefmt with the repository's treefmt.toml, and
# the tools it names. treefmt.toml calls alejandra's formatter `fmt-nix`
# (the name of the CLI in dev/fmt-nix, for machines without Nix); here it
# is alejandra itself.
{
  lib,
  writeShellApplication,
  treefmt,
  alejandra,
  deadnix,
  rustfmt,
  shellcheck,
}: let
  fmt-nix = writeShellApplication {
    name = "fmt-nix";
    runtimeInputs = [alejandra];
    text = ''exec alejandra --quiet "$@"'';
  };
in
  writeShellApplication {
    name = "nixos-rs-fmt";
    runtimeInputs = [treefmt fmt-nix deadnix rustfmt shellcheck];
    # `nix fmt` runs in the flake's directory; --tree-root keeps treefmt
    # there even when called from a subdirectory.
    text = ''
      root=$(git rev-parse --show-toplevel 2>/dev/null || pwd)
      exec treefmt --config-file ${../../treefmt.toml} --tree-root "$root" "$@"
    '';
    meta = {
      description = "Formats and lints nixos-rs: Nix, Rust and shell, from treefmt.toml";
      license = lib.licenses.mit;
      mainProgram = "nixos-rs-fmt";
    };
  }
