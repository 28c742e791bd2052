# Building a package runs its own tests (cargo test for the Rust crates).
{
  self,
  pkgs,
  ...
}: let
  p = self.packages.${pkgs.stdenv.hostPlatform.system};
in {
  package-bootcheck = p.bootcheck;
  package-brush-bash = p.brush-bash;
  package-coreutils-uutils = p.coreutils-uutils;
  # clippy -D warnings with the workspace's lint policy.
  clippy = p.clippy;
  # nixosOptionsDoc fails on options without descriptions.
  package-options-doc = p.options-doc;
}
