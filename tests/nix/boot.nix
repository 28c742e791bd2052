# oxidized.boot: nixos-init and userborn, what nixos-init asserts, older
# nixpkgs.
{
  lib,
  h,
}: let
  inherit (h) eval evalOn failing probesOf;
  on = {oxidized.boot.enable = true;};
  boot = eval [on];
  quiet = eval [on {oxidized.acknowledge = ["boot-settings"];}];
  noNixosInit = evalOn h.standIn.overrides.no-nixos-init [on];
  # NixOS 25.11's VM loads its store database in boot.postBootCommands.
  oldVm = (evalOn h.standIn.releases."nixos-25.11" [on]).virtualisation.vmVariant;
  postBoot = eval [
    on
    {
      _file = "a-vm-module.nix";
      boot.postBootCommands = "echo hello";
    }
  ];
in {
  boot-sets-what-nixos-init-asserts = {
    expr = {
      inherit (boot.system.nixos-init) enable;
      package = boot.system.nixos-init.package.name;
      userborn = boot.services.userborn.enable;
      etcOverlay = boot.system.etc.overlay.enable;
      initrdSystemd = boot.boot.initrd.systemd.enable;
      failing = failing boot;
      probes = map (p: p.name) (probesOf "boot" boot);
      row = boot.oxidized.report.boot.replacement;
      changes = lib.length boot.oxidized.report.boot.changes;
    };
    expected = {
      enable = true;
      package = "nixos-init-0.1.0";
      userborn = true;
      etcOverlay = true;
      initrdSystemd = true;
      failing = [];
      probes = ["stage2-is-nixos-init" "userborn-active" "etc-is-an-overlay"];
      row = "nixos-init-0.1.0, userborn-0.4.0";
      changes = 4;
    };
  };
  boot-says-what-it-forces-once = {
    expr = {
      warnings = map (lib.hasPrefix "oxidized.boot sets system.nixos-init.enable = true; system.etc.overlay.enable = true") boot.warnings;
      quiet = quiet.warnings;
    };
    expected = {
      warnings = [true];
      quiet = [];
    };
  };
  # A nixpkgs before system.nixos-init existed.
  boot-without-nixos-init-is-an-assertion = {
    expr = {
      failing = failing noNixosInit;
      row = noNixosInit.oxidized.report.boot.replacement;
    };
    expected = {
      failing = ["oxidized.boot needs system.nixos-init, which this nixpkgs does not have (nixos/modules/system/activation/nixos-init.nix): update nixpkgs, or set oxidized.boot.enable = false."];
      row = "none (this nixpkgs has no nixos-init)";
    };
  };
  # NixOS 25.11's VM sets boot.postBootCommands (before nixpkgs PR
  # #496852): the assertion names the file.
  boot-names-who-sets-post-boot-commands = {
    expr = {
      mine = lib.any (lib.hasInfix "and a-vm-module.nix set(s) some") (failing postBoot);
      oldVm = lib.any (lib.hasInfix "qemu-vm-post-boot.nix set(s) some") (failing oldVm);
      # nixos-init's own assertion (nixpkgs PR #474454) says it too.
      upstream = lib.elem "nixos-init cannot be used with boot.postBootCommands" (failing oldVm);
    };
    expected = {
      mine = true;
      oldVm = true;
      upstream = true;
    };
  };
}
