# lib.mkBootCheck over configurations of the stand-in: the spec it hands
# bootcheck, the login it makes when the VM has none, the VM's environment,
# what the check prints last. Nothing is built.
{
  lib,
  h,
}: let
  inherit (h) contains;
  probe = {
    name = "p";
    component = "c";
    command = "true";
    expect = "";
  };
  host = vm:
    h.system [
      {
        networking.hostName = "t";
        virtualisation.vmVariant = vm;
      }
    ];
  withLogin = vm: host ({services.getty.autologinUser = "nixos";} // vm);
  check = nixosConfiguration: args: h.nrsLib.mkBootCheck ({inherit nixosConfiguration;} // args);
  scriptOf = c: c.result.buildCommand;
  stable = h.system [{oxidized.enable = true;}];
in {
  boot-check-sets-a-disk-image-only-when-the-vm-has-one = {
    expr = {
      none = contains "export NIX_DISK_IMAGE" (scriptOf (check (withLogin {virtualisation.diskImage = null;}) {}));
      noneUnset = contains "unset NIX_DISK_IMAGE" (scriptOf (check (withLogin {virtualisation.diskImage = null;}) {}));
      some = contains ''export NIX_DISK_IMAGE="$TMPDIR"/t.qcow2'' (scriptOf (check (withLogin {}) {}));
    };
    expected = {
      none = false;
      noneUnset = true;
      some = true;
    };
  };
  # QEMU_KERNEL_PARAMS reaches the kernel only on direct boot.
  boot-check-refuses-a-serial-console-it-cannot-force = {
    expr = {
      bootLoader = h.throws (scriptOf (check (withLogin {virtualisation.useBootLoader = true;}) {}));
      bootLoaderOff = h.throws (scriptOf (check (withLogin {virtualisation.useBootLoader = true;}) {forceSerialConsole = false;}));
      direct = contains "console=ttyS0,115200n8" (scriptOf (check (withLogin {}) {}));
    };
    expected = {
      bootLoader = true;
      bootLoaderOff = false;
      direct = true;
    };
  };
  # The probe type's defaults are filled in; nixos-rs' own needsNixos is
  # not handed to the checker; the login timeout is bootcheck's.
  boot-check-hands-over-what-the-probe-type-holds = {
    # (the oxidation section: boot-check-measures-and-requires-rust-on-request)
    expr = removeAttrs (check (withLogin {}) {probes = [(probe // {needsNixos = "a reason";})];}).spec ["oxidation"];
    expected = {
      name = "t";
      timeout = 900;
      idle_timeout = 300;
      login.autologin = true;
      probes = [
        {
          name = "p";
          component = "c";
          command = "true";
          expect = "";
          ignore_exit = false;
          timeout = 30;
        }
      ];
    };
  };
  boot-check-under-emulation-says-how-much-slower = {
    expr = {
      spec = removeAttrs (check (withLogin {}) {emulated = true;}).spec ["probes" "login" "oxidation"];
      features = (check (withLogin {}) {emulated = true;}).result.requiredSystemFeatures;
      kvm = (check (withLogin {}) {}).result.requiredSystemFeatures;
    };
    expected = {
      spec = {
        name = "t";
        timeout = 900;
        idle_timeout = 300;
        slowdown = 8;
      };
      features = ["nixos-test"];
      kvm = ["nixos-test" "kvm"];
    };
  };
  # The module's probes are read from the VM's configuration.
  boot-check-takes-the-vms-probes = {
    expr = map (p: p.name) (check stable {}).spec.probes;
    expected = map (p: p.name) stable.config.oxidized.probes;
  };
  # No autologin and probes to run: the check's VM logs root in by itself;
  # the configuration is left as it was.
  boot-check-never-runs-without-its-probes = let
    c = check stable {};
  in {
    expr = {
      login = c.spec.login;
      probes = lib.length c.spec.probes;
      vmLogin = c.result.config.virtualisation.vmVariant.services.getty.autologinUser;
      configLogin = stable.config.virtualisation.vmVariant.services.getty.autologinUser;
      noProbes =
        (check (host {}) {
          probes = [];
          oxidation = false;
        })
        .spec
        ? login;
      # Without probes, the meter still needs a shell.
      meterOnly = (check (host {}) {probes = [];}).spec.login;
      configOnly =
        h.throws
        (h.nrsLib.mkBootCheck {
          inherit (stable) config pkgs;
        })
        .spec;
      configOnlyWithLogin =
        (h.nrsLib.mkBootCheck {
          inherit (stable) config pkgs;
          login = {autologin = true;};
        })
        .spec
        .login;
    };
    expected = {
      login.autologin = true;
      probes = 8;
      vmLogin = "root";
      configLogin = null;
      noProbes = false;
      meterOnly.autologin = true;
      configOnly = true;
      configOnlyWithLogin.autologin = true;
    };
  };
  # A failed check prints the summary, where the report is, how to boot
  # again, and last the one-line verdict (the sandbox stage checks the
  # real log's last line).
  boot-check-ends-a-failure-with-the-verdict = let
    script = builtins.unsafeDiscardStringContext (check (withLogin {}) {}).buildCommand;
    at = needle: lib.stringLength (lib.head (lib.splitString needle script));
  in {
    expr = lib.sort lib.lessThan [(at "summary.txt") (at "report, serial log") (at "to boot again") (at "bootcheck verdict")] == [(at "summary.txt") (at "report, serial log") (at "to boot again") (at "bootcheck verdict")];
    expected = true;
  };
  # The oxidation meter is on by default and off on request; requireRust
  # hands over what the enabled components must run as Rust.
  boot-check-measures-and-requires-rust-on-request = let
    ntp = h.system [{oxidized.ntp.enable = true;}];
  in {
    expr = {
      default = (check stable {}).spec.oxidation;
      off = (check stable {oxidation = false;}).spec ? oxidation;
      required = (check stable {requireRust = true;}).spec.oxidation.require;
      ntp = (check ntp {requireRust = true;}).spec.oxidation.require;
      own =
        (check ntp {
          requireRust = true;
          rustAtRuntime = [
            {
              component = "mine";
              pid1 = true;
            }
          ];
        })
        .spec
        .oxidation
        .require;
      refused =
        h.throws
        (check stable {
          requireRust = true;
          oxidation = false;
        })
        .spec;
    };
    expected = {
      # NixOS's security wrappers, each named with the program it runs:
      # sudo-rs' sudo and su, util-linux's mount and umount.
      default = let
        sudoRs = stable.config.security.sudo-rs.package;
        utilLinux = h.pkgs.util-linux;
      in {
        enable = true;
        wrappers = {
          "/run/wrappers/bin/sudo" = "${sudoRs}/bin/sudo";
          "/run/wrappers/bin/su" = "${sudoRs}/bin/su";
          "/run/wrappers/bin/mount" = "${utilLinux}/bin/mount";
          "/run/wrappers/bin/umount" = "${utilLinux}/bin/umount";
        };
      };
      off = false;
      required = stable.config.oxidized.rustAtRuntime;
      ntp = [
        {
          component = "ntp";
          process = "ntp-daemon";
        }
      ];
      own = [
        {
          component = "mine";
          pid1 = true;
        }
      ];
      refused = true;
    };
  };
}
