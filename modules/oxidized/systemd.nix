# systemd -> a Rust systemd the user supplies. nixpkgs has none, so there
# is no default package: build one with `nixos-rs.lib.mkSystemdOverlay`,
# which lays the Rust binaries over systemd's layout and keeps the passthru
# flags NixOS reads from systemd.package (nixos/modules/system/boot/systemd.nix),
# or take the layout package a Rust systemd's own flake publishes
# (templates/systemd-rs shows both).
#
# Besides systemd.package it sets what the configuration this project grows
# from needed to boot a Rust service manager: the udev rules override and
# the `compat` switches below, each on by default and each removable.
{
  config,
  lib,
  options,
  pkgs,
  ...
}: let
  cfg = config.oxidized.systemd;
  nrs = import ./lib.nix {inherit lib;};
  probe = nrs.mkProbe "systemd";

  # What NixOS reads from config.systemd.package besides its files:
  # nixos/modules/system/boot/systemd.nix (the with* flags, util-linux),
  # nixos/modules/system/activation/top-level.nix (interfaceVersion), and
  # from boot.initrd.systemd.package, which defaults to it, systemd stage 1
  # (nixos/modules/system/boot/systemd/initrd.nix: kmod; the default since
  # nixpkgs PR #435781) and the console (nixos/modules/config/console.nix:
  # kbd). Those that the real systemd has must be there.
  read = [
    "interfaceVersion"
    "kbd"
    "kmod"
    "util-linux"
    "withBootloader"
    "withCryptsetup"
    "withEfi"
    "withHostnamed"
    "withImportd"
    "withLocaled"
    "withMachined"
    "withNspawn"
    "withPortabled"
    "withRepart"
    "withTimedated"
    "withTpm2Units"
    "withUtmp"
  ];
  missing =
    lib.optionals (cfg.package != null)
    (lib.filter (a: pkgs.systemd ? ${a} && !(cfg.package ? ${a})) read);

  # A regex (Rust syntax, unanchored) for the path of an executable of the
  # Rust systemd: under its store path when the package says which it is
  # (mkSystemdOverlay's passthru.rust), else any path with "rust" in it. A
  # store path of the C systemd cannot match the second: its name is
  # systemd-<version> and Nix's hash alphabet has no "u" and no "t".
  rustExe =
    if cfg.package != null && cfg.package ? rust
    then "${lib.escapeRegex "${cfg.package.rust}"}/\\S+"
    else "\\S*(?i:rust)\\S*";

  # Every running process's executable, as root (/proc/<pid>/exe of other
  # users' processes is root-only). Kernel threads have none; their errors
  # are dropped. `command` skips aliases and shell functions.
  allExes = "command sudo -n sh -c 'for e in /proc/[0-9]*/exe; do readlink -f \"$e\"; done' 2>/dev/null; true";
  # Every probe of this component needs the Rust systemd booted as PID 1,
  # which only a NixOS system gives (tests/probes runs the others).
  onNixos = why: p: p // {needsNixos = why;};
  daemonProbe = unit: binary:
    onNixos "looks for ${binary} started by the Rust systemd"
    (probe "${unit}-is-rust" allExes "(?m)^${rustExe}/${binary}$");

  # The rules of the package that call systemctl, for /etc/udev/rules.d
  # (services.udev.packages, nixos/modules/services/hardware/udev.nix).
  udevRulesOverride = pkgs.runCommand "${lib.getName cfg.package}-udev-rules-override" {} ''
    mkdir -p "$out/lib/udev/rules.d"
    for r in ${cfg.package}/lib/udev/rules.d/*.rules; do
      [ -e "$r" ] || continue
      if grep -q systemctl "$r"; then
        cp "$r" "$out/lib/udev/rules.d/"
      fi
    done
  '';

  # What the compat switches change in this configuration, for the warning
  # and oxidized.report.
  compatChanges =
    lib.optionals cfg.compat.noPrivateDevices (
      lib.optional config.services.resolved.enable "systemd-resolved runs with PrivateDevices=false (compat.noPrivateDevices)"
      ++ lib.optional config.services.timesyncd.enable "systemd-timesyncd runs with PrivateDevices=false (compat.noPrivateDevices)"
    )
    ++ lib.optional (cfg.compat.noNetworkdWaitOnline && config.systemd.network.enable)
    "systemd-networkd-wait-online is masked: network-online.target no longer waits for the network (compat.noNetworkdWaitOnline)"
    ++ lib.optional (cfg.compat.noLvmDevicesImport && (config.services.lvm.enable or false))
    "lvm-devices-import is masked (compat.noLvmDevicesImport)"
    ++ lib.optional (cfg.compat.noLogrotateCheck && options ? services.logrotate.checkConfig && !config.services.logrotate.checkConfig)
    "the logrotate configuration is not checked at build time (compat.noLogrotateCheck)";
  initrdChange =
    if !(config.boot.initrd.systemd.enable or false)
    then "the initrd has no systemd (scripted stage 1)"
    else if cfg.initrd
    then "the initrd runs the Rust systemd as PID 1 (oxidized.systemd.initrd)"
    else "the initrd keeps nixpkgs' C systemd (oxidized.systemd.initrd = false)";

  compatSwitch = what: ''
    ${what}

    On by default with `oxidized.systemd.enable`; no effect without it.
    To find out whether your Rust systemd still needs it, set it to false
    and run the boot check (`nix flake check`, `lib.mkBootCheck`): when the
    boot and every probe pass, drop the switch.
  '';
in {
  options.oxidized.systemd =
    {
      enable = lib.mkEnableOption "a Rust systemd as PID 1 and service manager (experimental)";
      package = lib.mkOption {
        type = lib.types.nullOr lib.types.package;
        default = null;
        example = lib.literalExpression ''
          nixos-rs.lib.mkSystemdOverlay {
            inherit pkgs;
            rust = pkgs.rust-systemd;
          }'';
        description = ''
          A package with systemd's layout whose binaries are the Rust
          systemd's. No default: nixpkgs has no Rust systemd. Build it with
          `nixos-rs.lib.mkSystemdOverlay`, or take the layout package the
          Rust systemd's own flake publishes (see the `systemd-rs` template).
        '';
      };
      expect = lib.mkOption {
        type = lib.types.str;
        default =
          if cfg.package != null && cfg.package ? rust
          then "^${lib.escapeRegex "${cfg.package.rust}"}/"
          else "(?i)rust";
        defaultText = lib.literalMD "the store path of `package.rust` (set by `mkSystemdOverlay`) as a regex prefix, else `(?i)rust`";
        description = "Regex (Rust syntax) that the path of PID 1's executable must match.";
      };
      initrd = lib.mkOption {
        type = lib.types.bool;
        default = false;
        description = ''
          Run the Rust systemd in the initrd too, as PID 1 of systemd stage 1
          (the initrd's `/init` is `boot.initrd.systemd.package`'s
          `lib/systemd/systemd`, nixos/modules/system/boot/systemd/initrd.nix).
          NixOS runs systemd in the initrd by default (nixpkgs PR #435781,
          2026-04), and `boot.initrd.systemd.package` follows
          `systemd.package`, so without this switch the Rust systemd would
          have to run the initrd's units and switch root as well. By
          default it does not: the initrd keeps nixpkgs' C systemd
          (`pkgs.systemd`) and stage 2 runs the Rust one, so a failure in
          stage 1 is not blamed on the component. With the scripted stage 1
          (`boot.initrd.systemd.enable = false`) there is no systemd in the
          initrd and this has no effect.
        '';
      };
      udevRulesOverride = lib.mkOption {
        type = lib.types.bool;
        default = true;
        description = ''
          Copy every udev rule of `package` that mentions `systemctl` to
          /etc/udev/rules.d. The C udevd keeps the store path of the systemd
          it was built with as its built-in rules directory (binaries are
          not rewritten by the overlay), so rules such as 90-vconsole.rules
          would run that systemd's C `systemctl`; a rule of the same name in
          /etc/udev/rules.d wins over the built-in one, and the copy names
          the overlay's `systemctl`. Only has an effect with
          `oxidized.systemd.enable`. Turn it off when udevd comes from the
          Rust systemd too.
        '';
      };
      compat = {
        noPrivateDevices = lib.mkOption {
          type = lib.types.bool;
          default = true;
          description = compatSwitch ''
            Force `PrivateDevices=false` on systemd-resolved and
            systemd-timesyncd (when those services are enabled). Their
            upstream units ask for a private /dev; the Rust exec helper
            could not set up that mount namespace and the services died
            with SIGABRT.
          '';
        };
        noNetworkdWaitOnline = lib.mkOption {
          type = lib.types.bool;
          default = true;
          description = compatSwitch ''
            Disable systemd-networkd-wait-online.service (when
            systemd-networkd is enabled). The C wait-online asks networkd
            over varlink/D-Bus whether links are configured; the Rust
            networkd did not answer, and the unit hung for its 90 s timeout
            while the gettys waited behind it.
          '';
        };
        noLvmDevicesImport = lib.mkOption {
          type = lib.types.bool;
          default = true;
          description = compatSwitch ''
            Disable lvm-devices-import.service (when services.lvm is on, as
            it is by default). The unit comes from lvm2's unit files; its
            command was not in the system's closure, so the unit failed
            (CannotFindBinaryPath) on every boot.
          '';
        };
        noLogrotateCheck = lib.mkOption {
          type = lib.types.bool;
          default = true;
          description = compatSwitch ''
            Set `services.logrotate.checkConfig = false` (at mkDefault
            priority). The build-time check of the logrotate configuration
            runs `id -un` and `logrotate --debug` in the build sandbox,
            which has no /etc/passwd entry for the build user there, so
            the system failed to build.
          '';
        };
      };
    }
    // nrs.componentInternals;

  config = lib.mkMerge [
    {
      oxidized.systemd.reportRow = {
        original = pkgs.systemd.name;
        replacement =
          if cfg.package == null
          then "none (set oxidized.systemd.package)"
          else cfg.package.name;
        strategy = "module";
        changes = lib.optionals cfg.enable ([initrdChange] ++ compatChanges);
      };
    }
    (lib.mkIf cfg.enable {
      warnings =
        lib.optionals (compatChanges != []) (nrs.notice config "systemd-compat"
          "oxidized.systemd: ${lib.concatStringsSep "; " compatChanges}. These are what the configuration nixos-rs grows from needed next to its Rust systemd; set a switch to false when yours no longer needs it.");
      assertions = [
        {
          assertion = cfg.package != null;
          message = ''
            oxidized.systemd.enable needs oxidized.systemd.package: nixpkgs has no
            Rust systemd. Lay yours over systemd's layout, e.g.
              oxidized.systemd.package = nixos-rs.lib.mkSystemdOverlay {
                inherit pkgs;
                rust = <your Rust systemd package>;
              };
          '';
        }
        {
          assertion = missing == [];
          message = "oxidized.systemd.package (${
            if cfg.package == null
            then "none"
            else cfg.package.name
          }) lacks ${lib.concatStringsSep ", " missing}, which NixOS reads from systemd.package: build it with nixos-rs.lib.mkSystemdOverlay, which keeps systemd's passthru.";
        }
        {
          # nixos/modules/services/logging/logrotate.nix (since 22.05).
          assertion = !cfg.compat.noLogrotateCheck || options ? services.logrotate.checkConfig;
          message = "oxidized.systemd.compat.noLogrotateCheck: this nixpkgs has no services.logrotate.checkConfig; set the switch to false.";
        }
      ];
      systemd.package = lib.mkIf (cfg.package != null) cfg.package;
      # The initrd's systemd: nixpkgs' C one unless `initrd` is set. Set
      # where the option exists (systemd stage 1), at the priority of a
      # default so that a user's own choice wins.
      boot.initrd.systemd.package = lib.mkIf (!cfg.initrd) (lib.mkDefault pkgs.systemd);
      services.udev.packages = lib.mkIf (cfg.udevRulesOverride && cfg.package != null) [udevRulesOverride];
      # PID 1 and the daemons the probes look for.
      oxidized.systemd.rustAtRuntime =
        [
          {pid1 = true;}
          {process = "systemd-journald";}
        ]
        ++ lib.optional config.services.resolved.enable {process = "systemd-resolved";}
        ++ lib.optional config.systemd.network.enable {process = "systemd-networkd";};
      oxidized.systemd.probes =
        [
          # /proc/1/exe can only be read by root.
          (onNixos "reads PID 1, which only a booted NixOS with the Rust systemd runs"
            (probe "pid1-is-rust" "command sudo -n readlink -f /proc/1/exe" cfg.expect))
          # The target is active, and the manager that says so is Rust.
          (onNixos "asks the service manager (PID 1) for multi-user.target"
            (probe "manager-reached-multi-user"
              "command systemctl is-active multi-user.target; command sudo -n readlink -f /proc/1/exe"
              "\\Aactive\\n${rustExe}\\z"))
          (daemonProbe "journald" "systemd-journald")
        ]
        # nixos/modules/system/boot/resolved.nix, networkd.nix.
        ++ lib.optional config.services.resolved.enable (daemonProbe "resolved" "systemd-resolved")
        ++ lib.optional config.systemd.network.enable (daemonProbe "networkd" "systemd-networkd");
    })

    # The compat switches: what the original configuration set next to its
    # Rust systemd.
    (lib.mkIf (cfg.enable && cfg.compat.noPrivateDevices) {
      # The upstream units are used as they are and NixOS adds a drop-in
      # (systemd.services.<name>, nixos/modules/system/boot/resolved.nix and
      # system/boot/timesyncd.nix).
      systemd.services.systemd-resolved = lib.mkIf config.services.resolved.enable {
        serviceConfig.PrivateDevices = lib.mkForce false;
      };
      systemd.services.systemd-timesyncd = lib.mkIf config.services.timesyncd.enable {
        serviceConfig.PrivateDevices = lib.mkForce false;
      };
    })
    (lib.mkIf (cfg.enable && cfg.compat.noNetworkdWaitOnline && config.systemd.network.enable) {
      # networkd.nix defines the unit with
      # `inherit (cfg.wait-online) enable;` (nixos/modules/system/boot/networkd.nix);
      # mkForce wins over that. `enable = false` masks the unit
      # (nixos/modules/system/boot/systemd-unit-options.nix).
      systemd.services.systemd-networkd-wait-online.enable = lib.mkForce false;
    })
    (lib.mkIf (cfg.enable && cfg.compat.noLvmDevicesImport && (config.services.lvm.enable or false)) {
      # lvm2's units come in through systemd.packages (nixos/modules/tasks/lvm.nix).
      systemd.services.lvm-devices-import.enable = lib.mkForce false;
    })
    # Defined only where the option exists: an undeclared path is an error
    # even under a false mkIf; the assertion above speaks for older nixpkgs.
    (lib.optionalAttrs (options ? services.logrotate.checkConfig) (lib.mkIf (cfg.enable && cfg.compat.noLogrotateCheck) {
      services.logrotate.checkConfig = lib.mkDefault false;
    }))
  ];
}
