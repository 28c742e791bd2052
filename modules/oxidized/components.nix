# The one list of nixos-rs' components. Everything else is derived from
# it: the module's imports (./<name>.nix each), the stable set
# `oxidized.enable` turns on, the per-component boot checks
# (checks/boot.nix), the packages of the uutils replacements
# (pkgs/default.nix), the README's component table
# (`scripts/test` checks it is current) and the probes stage's guests.
#
# Each entry:
#   name        oxidized.<name>
#   stability   "stable" (oxidized.enable turns it on) or "experimental"
#   area        what it is, for the README table
#   original    the C program(s) it replaces
#   rust        the Rust replacement, and its project's address
#   swap        how it is swapped in
#   bootCheck   whether this flake can boot-check it alone (false: it needs
#               a package from the user)
#   uutils      for components built from GNU packages command by command:
#               the GNU package attributes (the last is the one on PATH),
#               the Rust package attribute, the command lists, and the
#               default strategy ("closure" unless said)
#   library     for C libraries swapped closure-wide (./library.nix): the
#               package attribute and output of the C library, the
#               directory of nixos-rs' package of the Rust one (pkgs/<dir>),
#               and `libs`: lib/<lib> and lib/<lib>.* of the original stand
#               for the Rust package's <file>
[
  {
    name = "sudo";
    stability = "stable";
    area = "Privilege escalation";
    original = "sudo, su";
    rust = ["sudo-rs" "https://github.com/trifectatechfoundation/sudo-rs"];
    swap = "NixOS's `security.sudo-rs` module; `security.sudo` settings carried over";
    bootCheck = true;
  }
  {
    name = "ntp";
    stability = "stable";
    area = "Time sync";
    original = "systemd-timesyncd";
    rust = ["ntpd-rs" "https://github.com/pendulum-project/ntpd-rs"];
    swap = "NixOS's `services.ntpd-rs` module";
    bootCheck = true;
  }
  {
    name = "coreutils";
    stability = "experimental";
    area = "Core utilities";
    original = "GNU coreutils";
    rust = ["uutils coreutils" "https://github.com/uutils/coreutils"];
    swap = "`system.replaceDependencies` (closure) or PATH; GNU's binary per missing command; `keepGnu`";
    bootCheck = true;
    uutils = {
      originals = ["coreutils" "coreutils-full"];
      package = "uutils-coreutils-noprefix";
      commands = ./coreutils-commands.nix;
    };
  }
  {
    name = "findutils";
    stability = "experimental";
    area = "find, xargs";
    original = "GNU findutils";
    rust = ["uutils findutils" "https://github.com/uutils/findutils"];
    swap = "as coreutils";
    bootCheck = true;
    uutils = {
      originals = ["findutils"];
      package = "uutils-findutils";
      commands = ./findutils-commands.nix;
    };
  }
  {
    name = "diffutils";
    stability = "experimental";
    area = "diff, cmp";
    original = "GNU diffutils";
    rust = ["uutils diffutils" "https://github.com/uutils/diffutils"];
    swap = "as coreutils";
    bootCheck = true;
    uutils = {
      originals = ["diffutils"];
      package = "uutils-diffutils";
      commands = ./diffutils-commands.nix;
    };
  }
  {
    name = "sed";
    stability = "experimental";
    area = "Stream editor";
    original = "GNU sed";
    rust = ["uutils sed" "https://github.com/uutils/sed"];
    swap = "PATH by default (uutils sed rejects back-references without a UTF-8 locale); closure as coreutils";
    bootCheck = true;
    uutils = {
      originals = ["gnused"];
      package = "uutils-sed";
      commands = ./sed-commands.nix;
      strategy = "path";
    };
  }
  {
    name = "procps";
    stability = "experimental";
    area = "Process tools";
    original = "procps-ng";
    rust = ["uutils procps" "https://github.com/uutils/procps"];
    swap = "PATH by default: pgrep, pkill, pidof, free, pidwait; ps, top, w, watch stay procps-ng's";
    bootCheck = true;
    uutils = {
      originals = ["procps"];
      package = "uutils-procps";
      commands = ./procps-commands.nix;
      strategy = "path";
    };
  }
  {
    name = "zlib";
    stability = "experimental";
    area = "Compression library (zlib)";
    original = "zlib";
    rust = ["zlib-rs" "https://github.com/trifectatechfoundation/zlib-rs"];
    swap = "`system.replaceDependencies` (closure only): every program's `libz.so.1`; a build check that it exports every symbol the system's programs import";
    bootCheck = true;
    library = {
      original = "zlib";
      output = "out";
      package = "zlib-rs";
      libs."libz.so" = "lib/libz.so.1";
    };
  }
  {
    name = "bzip2";
    stability = "experimental";
    area = "Compression library (bzip2)";
    original = "libbz2 (bzip2)";
    rust = ["libbzip2-rs" "https://github.com/trifectatechfoundation/libbzip2-rs"];
    swap = "as zlib: every program's `libbz2.so.1`";
    bootCheck = true;
    library = {
      original = "bzip2";
      output = "out";
      package = "libbz2-rs";
      libs."libbz2.so" = "lib/libbz2.so.1";
    };
  }
  {
    name = "shell";
    stability = "experimental";
    area = "Shell";
    original = "bash";
    rust = ["brush" "https://github.com/reubeno/brush"];
    swap = "through `brush-bash`: `/bin/sh`, the user shell, `replaceDependencies` for every bash";
    bootCheck = true;
  }
  {
    name = "boot";
    stability = "experimental";
    area = "Boot path";
    original = "bash/Perl activation";
    rust = ["nixos-init, userborn" "https://github.com/NixOS/nixpkgs/tree/master/pkgs/by-name/ni/nixos-init"];
    swap = "NixOS's `system.nixos-init`, `services.userborn`";
    bootCheck = true;
  }
  {
    name = "systemd";
    stability = "experimental";
    area = "Init and service manager";
    original = "systemd";
    rust = ["a Rust systemd you supply (e.g. rust-systemd)" "https://github.com/noverby/noverby"];
    swap = "`systemd.package`; `lib.mkSystemdOverlay` lays the Rust binaries over systemd; the initrd keeps C unless `initrd`";
    bootCheck = false;
  }
]
