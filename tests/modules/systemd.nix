# Module tests of oxidized.systemd (the udev rules override, the compat
# switches, the probes) and of what lib.mkSystemdOverlay returns besides its
# build script (passthru, meta, argv0). Run by the nix-modules stage like
# default.nix; same result shape:
#   { passed = [ name ]; failed = [ { name; expected; got; } ]; }
{lib}: let
  h = import ./harness.nix {inherit lib;};
  # Derivation-shaped attribute sets, as in harness.nix but with `out`. runCommand keeps
  # its script as `buildScript` and, like mkDerivation, has one output
  # `out` and puts passthru on the result.
  mk = name: extra: let
    self =
      {
        type = "derivation";
        inherit name;
        outPath = "/nix/store/${builtins.substring 0 32 (builtins.hashString "sha256" (name + (extra.buildScript or "")))}-${name}";
        outputs = ["out"];
        out = self;
        meta = {};
      }
      // extra;
  in
    self;
  pkg = pname: version: extra: mk "${pname}-${version}" ({inherit pname version;} // extra);

  # systemd as nixpkgs builds it: several outputs, outputsToInstall naming
  # `man`, the with* flags in passthru (pkgs/os-specific/linux/systemd).
  systemdPassthru = {
    interfaceVersion = 2;
    withNspawn = true;
    withRepart = true;
    withTimedated = true;
    withUtmp = true;
  };
  systemd = pkg "systemd" "258.2" (systemdPassthru
    // {
      passthru = systemdPassthru;
      outputs = ["out" "man" "dev"];
      meta = {
        description = "System and service manager for Linux";
        license = ["lgpl21Plus"];
        platforms = ["x86_64-linux" "aarch64-linux"];
        outputsToInstall = ["out" "man"];
        mainProgram = "systemctl";
      };
    });

  pkgs =
    h.buildersWith mk pkgs
    // {
      inherit systemd;
      initrd = pkg "initrd" "1" {};
    };

  nrsLib = import ../../lib {inherit lib;};
  overlayOf = rust: args: nrsLib.mkSystemdOverlay ({inherit pkgs rust;} // args);
  rustSystemd = pkg "rust-systemd" "unstable" {meta.license = ["mit"];};
  systemdRs = pkg "systemd-rs" "unstable" {};
  overlay = overlayOf rustSystemd {passthru.withRepart = false;};

  eval = modules:
    (lib.evalModules {
      modules =
        [
          ./stubs.nix
          ../../modules/oxidized
          {_module.args.pkgs = pkgs;}
        ]
        ++ modules;
    })
    .config;
  failing = c: map (a: a.message) (lib.filter (a: !a.assertion) c.assertions);

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
  withSwitch = name: value: eval [on services {oxidized.systemd.compat.${name} = value;}];

  # What the compat switches set, read back from a configuration.
  touched = c: {
    resolved = c.systemd.services.systemd-resolved.serviceConfig.PrivateDevices or null;
    timesyncd = c.systemd.services.systemd-timesyncd.serviceConfig.PrivateDevices or null;
    waitOnline = c.systemd.services.systemd-networkd-wait-online.enable or null;
    lvm = c.systemd.services.lvm-devices-import.enable or null;
    logrotateCheck = c.services.logrotate.checkConfig;
  };
  untouched = {
    resolved = null;
    timesyncd = null;
    waitOnline = null;
    lvm = null;
    logrotateCheck = true;
  };
  allOn = {
    resolved = false;
    timesyncd = false;
    waitOnline = false;
    lvm = false;
    logrotateCheck = false;
  };

  defaults = eval [on services];
  offWithSwitches = eval [
    services
    {
      oxidized.systemd = {
        package = overlay;
        compat = {
          noPrivateDevices = true;
          noNetworkdWaitOnline = true;
          noLvmDevicesImport = true;
          noLogrotateCheck = true;
        };
      };
    }
  ];
  udevPkgs = c: c.services.udev.packages;
  probeNames = c: map (p: p.name) (lib.filter (p: p.component == "systemd") c.oxidized.probes);

  # templates/systemd-rs with the stand-in of the monorepo flake: both ways
  # to the package give one the module accepts.
  template = (import ../../templates/systemd-rs/flake.nix).outputs {
    self = template;
    nixpkgs.lib.nixosSystem = args: args;
    nixos-rs = {
      lib = nrsLib // {mkBootCheck = args: args;};
      nixosModules.oxidized = ../../modules/oxidized;
    };
    noverby = (import ../stand-ins/rust-systemd/flake.nix).outputs {};
  };
  # pkgs with the overlays the template's modules add.
  templatePkgs = let
    base = pkgs // {stdenv.hostPlatform.system = "x86_64-linux";};
    overlays = lib.concatMap (m: m.nixpkgs.overlays) (lib.filter (m: builtins.isAttrs m && m ? nixpkgs.overlays) template.nixosConfigurations.my-host.modules);
  in
    lib.fix (self: lib.foldl' (acc: o: acc // o self acc) base overlays);
  templateVariant = v: let
    package = (template.nixosConfigurations.my-host.specialArgs.systemdPackages templatePkgs).${v};
    c = eval [
      {
        oxidized.systemd = {
          enable = true;
          inherit package;
        };
      }
    ];
  in {
    inherit (package) name;
    failing = failing c;
    argv0 = package.argv0 or null;
    withNspawn = package.withNspawn;
    withUtmp = package.withUtmp;
  };

  tests = {
    overlay-argv0-follows-the-known-rust-systemds = {
      expr = {
        rust-systemd = (overlayOf rustSystemd {}).argv0;
        systemd-rs = (overlayOf systemdRs {}).argv0;
        other = (overlayOf (pkg "my-systemd" "1.0" {}) {}).argv0;
        explicit = (overlayOf rustSystemd {argv0 = "systemd";}).argv0;
        # The drowse builds are runCommands named like the package, no pname.
        drowse = (overlayOf (mk "rust-systemd" {}) {}).argv0;
        wrapper = lib.hasInfix "makeBinaryWrapper ${rustSystemd}/bin/systemd \"$out/lib/systemd/systemd\" --argv0 rust-systemd" overlay.buildScript;
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
        version = "258.2";
        passthru = systemdPassthru // {withRepart = false;} // {argv0 = "rust-systemd";};
        rust = "rust-systemd-unstable";
        systemd = "systemd-258.2";
      };
    };
    # systemd's meta says to install `out` and `man`; the overlay has `out`
    # only, and buildEnv (environment.systemPackages) reads
    # meta.outputsToInstall: with systemd's meta copied this was
    # [ "out" "man" ] and a system using the overlay failed to evaluate.
    overlay-installs-only-outputs-it-has = {
      expr = {
        outputsToInstall = overlay.meta.outputsToInstall;
        allExist = lib.all (o: lib.elem o overlay.outputs && overlay ? ${o}) overlay.meta.outputsToInstall;
        inherit (overlay.meta) mainProgram platforms license;
        description = lib.hasInfix "rust-systemd-unstable" overlay.meta.description;
      };
      expected = {
        outputsToInstall = ["out"];
        allExist = true;
        mainProgram = "systemctl";
        platforms = ["x86_64-linux" "aarch64-linux"];
        license = ["lgpl21Plus" "mit"];
        description = true;
      };
    };

    udev-override-is-on-by-default = {
      expr = let
        p = udevPkgs defaults;
        script = (lib.head p).buildScript;
      in {
        count = lib.length p;
        name = (lib.head p).name;
        readsOverlay = lib.hasInfix "${overlay}/lib/udev/rules.d/*.rules" script;
        picksSystemctl = lib.hasInfix "grep -q systemctl" script;
      };
      expected = {
        count = 1;
        name = "rust-systemd-over-systemd-udev-rules-override";
        readsOverlay = true;
        picksSystemctl = true;
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

    compat-switches-are-on-by-default = {
      expr = {
        switches = defaults.oxidized.systemd.compat;
        touched = touched defaults;
        failing = failing defaults;
      };
      expected = {
        switches = {
          noPrivateDevices = true;
          noNetworkdWaitOnline = true;
          noLvmDevicesImport = true;
          noLogrotateCheck = true;
        };
        touched = allOn;
        failing = [];
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
      expected = allOn // {waitOnline = null;};
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
      };
      expected = {
        touched = untouched;
        udev = [];
        systemd = "systemd-258.2";
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
      expected = untouched // {logrotateCheck = false;};
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
        mkSystemdOverlay = templateVariant "mkSystemdOverlay";
        own = templateVariant "own";
      };
      expected = {
        mkSystemdOverlay = {
          name = "rust-systemd-over-systemd-258.2";
          failing = [];
          argv0 = "rust-systemd";
          withNspawn = true;
          withUtmp = true;
        };
        # Its own flags win over systemd's; the missing ones come from systemd.
        own = {
          name = "rust-systemd-systemd-unstable";
          failing = [];
          argv0 = null;
          withNspawn = true;
          withUtmp = false;
        };
      };
    };

    probes-follow-the-enabled-daemons = {
      expr = {
        all = probeNames defaults;
        bare = probeNames (eval [on]);
        off = probeNames (eval [services {oxidized.systemd.package = overlay;}]);
      };
      expected = {
        all = ["pid1-is-rust" "manager-reached-multi-user" "journald-is-rust" "resolved-is-rust" "networkd-is-rust"];
        bare = ["pid1-is-rust" "manager-reached-multi-user" "journald-is-rust"];
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
      }) (lib.filter (p: p.component == "systemd") defaults.oxidized.probes);
      expected = map (name: {
        inherit name;
        command = true;
        sudo = true;
      }) ["pid1-is-rust" "manager-reached-multi-user" "journald-is-rust" "resolved-is-rust" "networkd-is-rust"];
    };
  };
in
  h.run tests
