# The formatter (treefmt.toml: alejandra, deadnix, rustfmt, shellcheck)
# over a copy of the repository, changing nothing: what `nix fmt` would
# change fails the check.
{
  pkgs,
  self,
}: {
  formatting =
    pkgs.runCommand "nixos-rs-formatting" {
      nativeBuildInputs = [self.packages.${pkgs.stdenv.hostPlatform.system}.formatter];
    } ''
      cp -r ${self} src
      chmod -R u+w src
      cd src
      nixos-rs-fmt --ci --tree-root .
      touch $out
    '';
}
