# The stand-in nixpkgs states NixOS's behaviour at the pin: these tests pin
# down the facts nixos-rs' modules depend on (tests/stand-in/README.md
# lists each with its nixpkgs file and PR), so a change to the model is a
# visible change.
{
  lib,
  h,
}: let
  vanilla = modules: (h.standIn.lib.nixosSystem {modules = [h.base] ++ modules;}).config;
  pin = vanilla [];
  old = vanilla [h.standIn.releases."nixos-25.11"];
  failing = c: map (a: a.message) (lib.filter (a: !a.assertion) c.assertions);
  user = c: n: c.users.users.${n}.shell.name or c.users.users.${n}.shell;
in {
  systemd-stage-1-is-the-default-at-the-pin = {
    expr = {
      pin = pin.boot.initrd.systemd.enable;
      pinPackage = pin.boot.initrd.systemd.package.name;
      "nixos-25.11" = old.boot.initrd.systemd.enable;
      # A configuration's own mkDefault wins over the older default.
      mine = (vanilla [h.standIn.releases."nixos-25.11" {boot.initrd.systemd.enable = lib.mkDefault true;}]).boot.initrd.systemd.enable;
    };
    expected = {
      pin = true;
      pinPackage = "systemd-259";
      "nixos-25.11" = false;
      mine = true;
    };
  };
  state-version-defaults-to-the-release = {
    expr = [pin.system.stateVersion old.system.stateVersion];
    expected = ["26.11" "25.11"];
  };
  grub-without-a-device-is-an-assertion = {
    expr = {
      none = failing (vanilla [{boot.loader.grub.enable = lib.mkForce true;}]);
      nodev = failing (vanilla [
        {
          boot.loader.grub.enable = lib.mkForce true;
          boot.loader.grub.device = "nodev";
        }
      ]);
    };
    expected = {
      none = ["You must set the option ‘boot.loader.grub.devices’ or 'boot.loader.grub.mirroredBoots' to make the system bootable."];
      nodev = [];
    };
  };
  users-shells-follow-users-groups = {
    expr = let
      c = vanilla [
        {
          users.users.alice.isNormalUser = true;
          users.users.daemon.isSystemUser = true;
          users.users.bob = {
            isNormalUser = true;
            useDefaultShell = false;
          };
        }
      ];
    in {
      root = user c "root";
      alice = user c "alice";
      daemon = user c "daemon";
      bob = user c "bob";
    };
    expected = {
      root = "bash-interactive-5.3p3";
      alice = "bash-interactive-5.3p3";
      daemon = "shadow-4.18.0";
      bob = "shadow-4.18.0";
    };
  };
  userborn-asserts-four-things = {
    expr = failing (vanilla [
      {
        services.userborn = {
          enable = true;
          static = true;
          passwordFilesLocation = "/etc";
        };
        systemd.sysusers.enable = true;
        system.etc.overlay = {
          enable = true;
          mutable = false;
        };
      }
    ]);
    expected = [
      "You cannot use systemd-sysusers and Userborn at the same time"
      "When `system.etc.overlay.mutable = false`, `services.userborn.passwordFilesLocation` cannot be set to `/etc`"
      "`services.userborn.static` cannot be used with `system.switch.enable`"
    ];
  };
  use-networkd-turns-networkd-on = {
    expr = [pin.systemd.network.enable (vanilla [{networking.useNetworkd = true;}]).systemd.network.enable];
    expected = [false true];
  };
  other-time-daemons-turn-timesyncd-off = {
    expr = map (d: (vanilla [{services.${d}.enable = true;}]).services.timesyncd.enable) ["chrony" "ntp" "openntpd"];
    expected = [false false false];
  };
  su-package-and-qemu-vm-differ-in-nixos-25-11 = {
    expr = {
      pin = pin.security.shadow.su.package.name;
      old = lib.hasAttrByPath ["security" "shadow" "su"] old;
      pinPostBoot = pin.virtualisation.vmVariant.boot.postBootCommands;
      oldPostBoot = old.virtualisation.vmVariant.boot.postBootCommands != "";
    };
    expected = {
      pin = "shadow-4.18.0";
      old = false;
      pinPostBoot = "";
      oldPostBoot = true;
    };
  };
  # system-path.nix: core packages at meta.priority + 3 (procps' own is 11),
  # the libc appended as is.
  core-packages-have-lower-priority = {
    expr = lib.unique (map (p: p.meta.priority or 5) pin.environment.corePackages);
    expected = [8 14 5];
  };
}
