# The commands of GNU coreutils and of uutils coreutils as nixpkgs builds
# them, as data: oxidized.coreutils.fallbacks is computed from these when
# evaluating (no import-from-derivation), and the replacement's build checks
# them against the real packages (lib/replacements.nix).
{lib}: let
  inherit (lib) genAttrs optionals subtractLists versionAtLeast versionOlder;

  # GNU coreutils 9.8 on Linux with glibc, as nixpkgs configures it
  # (--enable-single-binary=symlinks, no SELinux;
  # pkgs/tools/misc/coreutils/default.nix): build-aux/gen-lists-of-programs.sh's
  # normal_progs and build_if_possible_progs (`ginstall` is installed as
  # `install`, libstdbuf.so goes to libexec/), plus the `coreutils`
  # multi-call binary that single-binary builds install (configure.ac).
  # 9.7 installs the same set.
  gnu98 = [
    "["
    "b2sum"
    "base32"
    "base64"
    "basename"
    "basenc"
    "cat"
    "chcon"
    "chgrp"
    "chmod"
    "chown"
    "chroot"
    "cksum"
    "comm"
    "coreutils"
    "cp"
    "csplit"
    "cut"
    "date"
    "dd"
    "df"
    "dir"
    "dircolors"
    "dirname"
    "du"
    "echo"
    "env"
    "expand"
    "expr"
    "factor"
    "false"
    "fmt"
    "fold"
    "groups"
    "head"
    "hostid"
    "id"
    "install"
    "join"
    "kill"
    "link"
    "ln"
    "logname"
    "ls"
    "md5sum"
    "mkdir"
    "mkfifo"
    "mknod"
    "mktemp"
    "mv"
    "nice"
    "nl"
    "nohup"
    "nproc"
    "numfmt"
    "od"
    "paste"
    "pathchk"
    "pinky"
    "pr"
    "printenv"
    "printf"
    "ptx"
    "pwd"
    "readlink"
    "realpath"
    "rm"
    "rmdir"
    "runcon"
    "seq"
    "sha1sum"
    "sha224sum"
    "sha256sum"
    "sha384sum"
    "sha512sum"
    "shred"
    "shuf"
    "sleep"
    "sort"
    "split"
    "stat"
    "stdbuf"
    "stty"
    "sum"
    "sync"
    "tac"
    "tail"
    "tee"
    "test"
    "timeout"
    "touch"
    "tr"
    "true"
    "truncate"
    "tsort"
    "tty"
    "uname"
    "unexpand"
    "uniq"
    "unlink"
    "uptime"
    "users"
    "vdir"
    "wc"
    "who"
    "whoami"
    "yes"
  ];

  hashsums = ["b2sum" "md5sum" "sha1sum" "sha224sum" "sha256sum" "sha384sum" "sha512sum"];
in {
  # GNU command names in bin/ for a coreutils version.
  gnu = version:
    subtractLists (
      # NEWS of 9.9: chcon and runcon are not built without SELinux headers.
      optionals (versionAtLeast version "9.9") ["chcon" "runcon"]
      # NEWS of 9.10: kill and uptime are no longer built by default.
      ++ optionals (versionAtLeast version "9.10") ["kill" "uptime"]
    )
    gnu98;

  # GNU command name -> uutils binary, for a uutils coreutils version built
  # the way nixpkgs builds uutils-coreutils-noprefix (multi-call, no prefix,
  # SELINUX_ENABLED=0; pkgs/by-name/uu/uutils-coreutils/package.nix). uutils'
  # own extras (arch, hostname, more, ...) are not listed: the replacement
  # has GNU's commands, no others.
  rust = version:
    genAttrs (subtractLists (
        # chcon and runcon are built only with SELinux (uutils' GNUmakefile,
        # and nixpkgs' selinux_no_auto_detect.diff for 0.2-0.4).
        ["chcon" "runcon"]
        # Before 0.3.0 `make install` installed `hashsum` but none of its
        # b2sum, md5sum, sha*sum names (uutils PR #8647 added them).
        ++ optionals (versionOlder version "0.3.0") hashsums
      )
      gnu98) (c: c);
}
