# zlib -> zlib-rs, closure-wide (./library.nix): every program that links
# zlib loads nixos-rs' package of zlib-rs (pkgs/zlib-rs), a libz.so.1 with
# zlib's C ABI and symbol versions. zlib-rs' zlibVersion() says what it is
# ("1.3.0-zlib-rs-0.6.8"); curl and perl, in every NixOS system
# (system-path.nix's corePackages and defaultPackages), print it.
{lib, ...}: {
  imports = [
    ((import ./library.nix {inherit lib;}).module {
      name = "zlib";
      description = "zlib-rs in place of zlib";
      probes = {cfg}: [
        # libcurl names the zlib it runs with: zlibVersion() of the loaded
        # library.
        {
          name = "zlib-is-zlib-rs";
          command = "curl --version";
          expect = "zlib/\\S*-zlib-rs-\\d";
        }
        # gzip and zlib formats, both ways, through perl's Compress::Zlib
        # (nixpkgs' perl links the system zlib), with zlibVersion() at run
        # time (Compress::Raw::Zlib::ZLIB_VERSION is the header's).
        {
          name = "zlib-rs-round-trips";
          command = "perl -MCompress::Zlib -e '$d = \"nixos-rs \" x 1000; $g = Compress::Zlib::memGzip($d); print((Compress::Zlib::memGunzip($g) eq $d && uncompress(compress($d)) eq $d) ? \"round-trip-ok \" : \"round-trip-FAILED \", Compress::Raw::Zlib::zlib_version(), \"\\n\")'";
          expect = "^round-trip-ok \\S*zlib-rs";
        }
        # The libz a running process maps is the package's file, and it is
        # zlib-rs (the string is in zlib-rs' library, not in C zlib's).
        {
          name = "zlib-mapped-is-the-package";
          command = "perl -MCompress::Zlib -e 'open(M, \"/proc/self/maps\"); ($f) = map { m{(/\\S+/libz\\.so\\S*)$} ? $1 : () } <M>; open(L, \"<\", $f); local $/; print \"$f \", (<L> =~ /zlib-rs/ ? \"has\" : \"lacks\"), \" zlib-rs\\n\"'";
          expect = "^${lib.escapeRegex "${cfg.package}"}/\\S+ has zlib-rs$";
        }
      ];
    })
  ];
}
