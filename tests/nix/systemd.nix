# oxidized.systemd and lib.mkSystemdOverlay (what it returns besides its
# build, which builds.nix builds): the package check, the initrd, the udev
# rules override, the compat switches, the probes, the systemd-rs template.
{
  lib,
  h,
}: let
  inherit (h) eval evalOn failing pkgs;
  rustSystemd = h.pkg "rust-systemd" "unstable" {
    bins = ["systemd" "systemctl" "systemd-journald"];
    meta.license = ["mit"];
  };
  overlayOf = rust: args: h.nrsLib.mkSystemdOverlay ({inherit pkgs rust;} // args);
  overlay = overlayOf rustSystemd {passthru.withRepart = false;};

  on = {
    oxidized.systemd = {
      enable = true;
      package = overlay;
    };
  };
  # The services the compat switches touch, all enabled.
  services = {
    services.resolved.enable = true;
    systemd.network.enable = true;
  };
  defaults = eval [on services];
  withSwitch = name: value: eval [on services {oxidized.systemd.compat.${name} = value;}];
  offWithSwitches = eval [
    services
    {
      oxidized.systemd = {
        package = overlay;
        compat = lib.genAttrs ["noPrivateDevices" "noNetworkdWaitOnline" "noLvmDevicesImport" "noLogrotateCheck"] (_: true);
      };
    }
  ];
  # What the compat switches set, read back from a configuration.
  touched = c: {
    resolved = c.systemd.services.systemd-resolved.serviceConfig.PrivateDevices or null;
    timesyncd = c.systemd.services.systemd-timesyncd.serviceConfig.PrivateDevices or null;
    waitOnline = c.systemd.services.systemd-networkd-wait-online.enable or null;
    lvm = c.systemd.services.lvm-devices-import.enable or null;
    logrotateCheck = c.services.logrotate.checkConfig;
  };
  allOn = {
    resolved = false;
    timesyncd = false;
    waitOnline = false;
    lvm = false;
    logrotateCheck = false;
  };
  untouched = {
    resolved = null;
    timesyncd = null;
    waitOnline = true;
    lvm = null;
    logrotateCheck = true;
  };
  udevPkgs = c: c.services.udev.packages;
  probeNames = c: map (p: p.name) (h.probesOf "systemd" c);
  initOf = c: c.boot.initrd.systemd.contents."/init".source;

  # templates/systemd-rs as `nix flake init` gives it, over the stand-in and
  # the stand-in of the monorepo flake that publishes rust-systemd.
  template = (import ../../templates/systemd-rs/flake.nix).outputs {
    self = template;
    nixpkgs = h.standIn;
    nixos-rs = {
      lib = h.nrsLib // {mkBootCheck = args: args;};
      nixosModules.oxidized = ../../modules/oxidized;
    };
    noverby = (import ../stand-ins/rust-systemd/flake.nix).outputs {};
  };
  myHost = template.nixosConfigurations.my-host;
  variant = v: let
    c =
      (myHost.extendModules {
        modules = [({systemdPackages, ...}: {oxidized.systemd.package = lib.mkForce (systemdPackages myHost.pkgs).${v};})];
      })
      .config;
  in {
    inherit (c.systemd.package) name;
    failing = failing c;
    argv0 = c.systemd.package.argv0 or null;
    inherit (c.systemd.package) withNspawn withUtmp;
    probes = probeNames c;
  };
in {
  overlay-argv0-follows-the-known-rust-systemds = {
    expr = {
      rust-systemd = (overlayOf rustSystemd {}).argv0;
      systemd-rs = (overlayOf (h.pkg "systemd-rs" "unstable" {}) {}).argv0;
      other = (overlayOf (h.pkg "my-systemd" "1.0" {}) {}).argv0;
      explicit = (overlayOf rustSystemd {argv0 = "systemd";}).argv0;
      # The drowse builds are runCommands named like the package, no pname.
      drowse = (overlayOf (pkgs.runCommand "rust-systemd" {} "mkdir $out") {}).argv0;
      wrapper = h.contains "makeBinaryWrapper ${rustSystemd}/bin/systemd \"$out/lib/systemd/systemd\" --argv0 rust-systemd" overlay.buildCommand;
    };
    expected = {
      rust-systemd = "rust-systemd";
      systemd-rs = "systemd-rs";
      other = "systemd";
      explicit = "systemd";
      drowse = "rust-systemd";
      wrapper = true;
    };
  };
  overlay-passthru-is-systemds-plus-overrides = {
    expr = {
      inherit (overlay) interfaceVersion withNspawn withRepart withTimedated withUtmp version;
      passthru = removeAttrs overlay.passthru ["rust" "systemd"];
      rust = overlay.rust.name;
      systemd = overlay.systemd.name;
    };
    expected = {
      interfaceVersion = 2;
      withNspawn = true;
      withRepart = false;
      withTimedated = true;
      withUtmp = true;
      version = "259";
      passthru = pkgs.systemd.passthru // {withRepart = false;} // {argv0 = "rust-systemd";};
      rust = "rust-systemd-unstable";
      systemd = "systemd-259";
    };
  };
  # systemd's meta says to install `out` and `man`; the overlay has `out`
  # only, and buildEnv (environment.systemPackages) reads
  # meta.outputsToInstall: with systemd's meta copied, a system using the
  # overlay failed to evaluate with "attribute 'man' missing".
  overlay-installs-only-outputs-it-has = {
    expr = {
      outputsToInstall = overlay.meta.outputsToInstall;
      inherit (overlay.meta) mainProgram license;
      description = lib.hasInfix "rust-systemd-unstable" overlay.meta.description;
      systemPath = (eval [on]).system.path.drvPath != null;
    };
    expected = {
      outputsToInstall = ["out"];
      mainProgram = "systemctl";
      license = ["mit"];
      description = true;
      systemPath = true;
    };
  };
  systemd-without-package-says-what-to-set = let
    c = eval [{oxidized.systemd.enable = true;}];
  in {
    expr = {
      failing = lib.length (failing c);
      says = lib.hasPrefix "oxidized.systemd.enable needs oxidized.systemd.package" (lib.head (failing c));
      example = lib.hasInfix "nixos-rs.lib.mkSystemdOverlay" (lib.head (failing c));
      package = c.systemd.package.name;
      row = c.oxidized.report.systemd.replacement;
    };
    expected = {
      failing = 1;
      says = true;
      example = true;
      package = "systemd-259";
      row = "none (set oxidized.systemd.package)";
    };
  };
  # What NixOS reads from the package: the with* flags, and for systemd
  # stage 1 (the default at the pin) kmod and kbd.
  systemd-package-without-systemd-passthru-is-an-error = {
    expr = failing (eval [
      {
        oxidized.systemd = {
          enable = true;
          package = h.pkg "rust-systemd" "0.1.0" {passthru = removeAttrs pkgs.systemd.passthru ["kmod" "kbd" "withNspawn"];};
        };
      }
    ]);
    expected = ["oxidized.systemd.package (rust-systemd-0.1.0) lacks kbd, kmod, withNspawn, which NixOS reads from systemd.package: build it with nixos-rs.lib.mkSystemdOverlay, which keeps systemd's passthru."];
  };
  # systemd stage 1 is the default at the pin (nixpkgs PR #435781), and its
  # /init is boot.initrd.systemd.package's, which follows systemd.package:
  # by default the initrd keeps the C systemd; oxidized.systemd.initrd puts
  # the Rust one there.
  initrd-keeps-the-c-systemd-unless-asked = let
    rust = eval [on {oxidized.systemd.initrd = true;}];
    mine = eval [on ({pkgs, ...}: {boot.initrd.systemd.package = pkgs.standIn.systemdAt "258.9";})];
    scripted = evalOn h.standIn.overrides.scripted-stage-1 [on];
  in {
    expr = {
      default = initOf defaults == "${pkgs.systemd}/lib/systemd/systemd";
      stage2 = defaults.systemd.package.name;
      rust = initOf rust == "${overlay}/lib/systemd/systemd";
      mine = initOf mine == "${pkgs.standIn.systemdAt "258.9"}/lib/systemd/systemd";
      scripted = scripted.boot.initrd.systemd.contents;
      changes = lib.head defaults.oxidized.report.systemd.changes;
      rustChanges = lib.head rust.oxidized.report.systemd.changes;
    };
    expected = {
      default = true;
      stage2 = "rust-systemd-over-systemd-259";
      rust = true;
      mine = true;
      scripted = {};
      changes = "the initrd keeps nixpkgs' C systemd (oxidized.systemd.initrd = false)";
      rustChanges = "the initrd runs the Rust systemd as PID 1 (oxidized.systemd.initrd)";
    };
  };

  udev-override-is-on-by-default = {
    expr = let
      p = udevPkgs defaults;
    in {
      count = lib.length p;
      name = (lib.head p).name;
      readsOverlay = h.contains "${overlay}/lib/udev/rules.d/*.rules" (lib.head p).buildCommand;
    };
    expected = {
      count = 1;
      name = "rust-systemd-over-systemd-udev-rules-override";
      readsOverlay = true;
    };
  };
  udev-override-off-when-asked = {
    expr = udevPkgs (eval [on {oxidized.systemd.udevRulesOverride = false;}]);
    expected = [];
  };
  udev-override-needs-the-component = {
    expr = udevPkgs (eval [{oxidized.systemd.package = overlay;}]);
    expected = [];
  };

  compat-switches-are-on-by-default-and-said = {
    expr = {
      switches = defaults.oxidized.systemd.compat;
      touched = touched defaults;
      failing = failing defaults;
      warnings = map (lib.hasInfix "systemd-networkd-wait-online is masked: network-online.target no longer waits for the network") defaults.warnings;
      report = lib.length defaults.oxidized.report.systemd.changes;
      acknowledged = (eval [on services {oxidized.acknowledge = ["systemd-compat"];}]).warnings;
    };
    expected = {
      switches = lib.genAttrs ["noPrivateDevices" "noNetworkdWaitOnline" "noLvmDevicesImport" "noLogrotateCheck"] (_: true);
      touched = allOn;
      failing = [];
      warnings = [true];
      report = 6;
      acknowledged = [];
    };
  };
  compat-no-private-devices-off = {
    expr = touched (withSwitch "noPrivateDevices" false);
    expected =
      allOn
      // {
        resolved = null;
        timesyncd = null;
      };
  };
  compat-no-networkd-wait-online-off = {
    expr = touched (withSwitch "noNetworkdWaitOnline" false);
    expected = allOn // {waitOnline = true;};
  };
  compat-no-lvm-devices-import-off = {
    expr = touched (withSwitch "noLvmDevicesImport" false);
    expected = allOn // {lvm = null;};
  };
  compat-no-logrotate-check-off = {
    expr = touched (withSwitch "noLogrotateCheck" false);
    expected = allOn // {logrotateCheck = true;};
  };
  compat-switches-need-the-component = {
    expr = {
      touched = touched offWithSwitches;
      udev = udevPkgs offWithSwitches;
      systemd = offWithSwitches.systemd.package.name;
      warnings = offWithSwitches.warnings;
    };
    expected = {
      touched = untouched;
      udev = [];
      systemd = "systemd-259";
      warnings = [];
    };
  };
  # Services that are off get no drop-in and no mask: resolved and
  # networkd off, timesyncd replaced by ntpd-rs, lvm off.
  compat-leaves-disabled-services-alone = {
    expr = touched (eval [
      on
      {
        services.timesyncd.enable = false;
        services.lvm.enable = false;
      }
    ]);
    expected =
      untouched
      // {
        waitOnline = null;
        logrotateCheck = false;
      };
  };
  # networkd.nix sets the unit's enable from systemd.network.wait-online.enable
  # at normal priority; the switch must win over that.
  compat-wait-online-wins-over-networkd = {
    expr = (touched (eval [on services {systemd.services.systemd-networkd-wait-online.enable = true;}])).waitOnline;
    expected = false;
  };
  # logrotate's is a mkDefault: a user's own setting wins without a conflict.
  compat-logrotate-user-setting-wins = {
    expr = (touched (eval [on {services.logrotate.checkConfig = true;}])).logrotateCheck;
    expected = true;
  };

  template-both-packages-are-accepted = {
    expr = {
      mkSystemdOverlay = variant "mkSystemdOverlay";
      own = variant "own";
    };
    expected = {
      mkSystemdOverlay = {
        name = "rust-systemd-over-systemd-259";
        failing = [];
        argv0 = "rust-systemd";
        withNspawn = true;
        withUtmp = true;
        probes = ["pid1-is-rust" "manager-reached-multi-user" "journald-is-rust" "resolved-is-rust" "networkd-is-rust"];
      };
      # Its own flags win over systemd's; the missing ones come from systemd.
      own = {
        name = "rust-systemd-systemd-unstable";
        failing = [];
        argv0 = null;
        withNspawn = true;
        withUtmp = false;
        probes = ["pid1-is-rust" "manager-reached-multi-user" "journald-is-rust" "resolved-is-rust" "networkd-is-rust"];
      };
    };
  };

  probes-follow-the-enabled-daemons = {
    expr = {
      all = probeNames defaults;
      bare = probeNames (eval [on]);
      off = probeNames (eval [services {oxidized.systemd.package = overlay;}]);
      # networking.useNetworkd turns networkd on (network-interfaces-systemd.nix).
      useNetworkd = probeNames (eval [on {networking.useNetworkd = true;}]);
    };
    expected = {
      all = ["pid1-is-rust" "manager-reached-multi-user" "journald-is-rust" "resolved-is-rust" "networkd-is-rust"];
      bare = ["pid1-is-rust" "manager-reached-multi-user" "journald-is-rust"];
      off = [];
      useNetworkd = ["pid1-is-rust" "manager-reached-multi-user" "journald-is-rust" "networkd-is-rust"];
    };
  };
  # PID 1 and the same daemons must be Rust at run time.
  rust-at-runtime-follows-the-enabled-daemons = let
    what = c: map (r: removeAttrs r ["component"]) (lib.filter (r: r.component == "systemd") c.oxidized.rustAtRuntime);
  in {
    expr = {
      all = what defaults;
      bare = what (eval [on]);
      off = what (eval [services {oxidized.systemd.package = overlay;}]);
    };
    expected = {
      all = [{pid1 = true;} {process = "systemd-journald";} {process = "systemd-resolved";} {process = "systemd-networkd";}];
      bare = [{pid1 = true;} {process = "systemd-journald";}];
      off = [];
    };
  };
  # Probes are typed into an interactive shell: commands go through
  # `command` so that aliases and functions cannot stand in for them, and
  # what needs /proc/<pid>/exe goes through `sudo -n`.
  probes-bypass-aliases-and-use-sudo = {
    expr = map (p: {
      inherit (p) name;
      command = lib.hasPrefix "command " p.command;
      sudo = lib.hasInfix "command sudo -n " p.command;
    }) (h.probesOf "systemd" defaults);
    expected = map (name: {
      inherit name;
      command = true;
      sudo = true;
    }) ["pid1-is-rust" "manager-reached-multi-user" "journald-is-rust" "resolved-is-rust" "networkd-is-rust"];
  };
}
