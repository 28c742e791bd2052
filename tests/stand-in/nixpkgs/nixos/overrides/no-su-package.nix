# nixpkgs before PR #495216 (2026-03): no security.shadow.su.package; su is
# shadow's whatever sudo is (programs/shadow.nix then wrapped
# `''${cfg.package.su}/bin/su`).
{pkgs, ...}: {
  disabledModules = [../modules/programs/shadow-su.nix];
  security.wrappers.su = {
    source = "${pkgs.shadow.su}/bin/su";
    setuid = true;
    owner = "root";
    group = "root";
  };
}
