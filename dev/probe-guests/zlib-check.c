/* A C program linked against zlib (Debian's zlib1g-dev), which the probes
 * stage runs twice: with this machine's zlib, where it must fail, and with
 * the Rust libz.so.1 first on LD_LIBRARY_PATH, where it must pass without
 * a word on stderr (the dynamic loader says "no version information
 * available" there when the library lacks zlib's symbol versions).
 *
 * It passes when the zlib it runs with round-trips data through
 * compress/uncompress, deflate/inflate in the gzip format, and gzwrite/
 * gzread through a file, with crc32 and adler32 agreeing, and when
 * zlibVersion() names zlib-rs. Exit status: 0 pass, 1 not zlib-rs,
 * 2 a round trip failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define SIZE 64000

static int fail(const char *what) {
    printf("round trip failed: %s\n", what);
    return 2;
}

int main(void) {
    static unsigned char data[SIZE], packed[SIZE * 2], back[SIZE];
    for (size_t i = 0; i < SIZE; i++)
        data[i] = (unsigned char)("nixos-rs zlib check "[i % 20] + (i / 4096) % 3);
    uLong crc = crc32(crc32(0L, Z_NULL, 0), data, SIZE);
    uLong adler = adler32(adler32(0L, Z_NULL, 0), data, SIZE);

    /* zlib format */
    uLongf packedLen = sizeof packed, backLen = sizeof back;
    if (compress2(packed, &packedLen, data, SIZE, Z_BEST_COMPRESSION) != Z_OK)
        return fail("compress2");
    if (uncompress(back, &backLen, packed, packedLen) != Z_OK || backLen != SIZE ||
        memcmp(back, data, SIZE) != 0)
        return fail("uncompress");

    /* gzip format, by deflate and inflate */
    z_stream s;
    memset(&s, 0, sizeof s);
    if (deflateInit2(&s, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return fail("deflateInit2");
    s.next_in = data;
    s.avail_in = SIZE;
    s.next_out = packed;
    s.avail_out = sizeof packed;
    if (deflate(&s, Z_FINISH) != Z_STREAM_END)
        return fail("deflate");
    uLong gzLen = s.total_out;
    deflateEnd(&s);
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, 15 + 16) != Z_OK)
        return fail("inflateInit2");
    s.next_in = packed;
    s.avail_in = (uInt)gzLen;
    s.next_out = back;
    s.avail_out = sizeof back;
    if (inflate(&s, Z_FINISH) != Z_STREAM_END || s.total_out != SIZE ||
        memcmp(back, data, SIZE) != 0)
        return fail("inflate");
    inflateEnd(&s);
    if (crc32(0L, back, SIZE) != crc || adler32(1L, back, SIZE) != adler)
        return fail("crc32 or adler32");

    /* gzip files */
    char path[] = "/tmp/nixos-rs-zlib-check-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return fail("mkstemp");
    close(fd);
    gzFile gz = gzopen(path, "wb9");
    if (gz == NULL || gzwrite(gz, data, SIZE) != SIZE || gzclose(gz) != Z_OK)
        return fail("gzwrite");
    gz = gzopen(path, "rb");
    memset(back, 0, SIZE);
    if (gz == NULL || gzread(gz, back, SIZE) != SIZE || memcmp(back, data, SIZE) != 0)
        return fail("gzread");
    gzclose(gz);
    unlink(path);

    const char *v = zlibVersion();
    if (strstr(v, "zlib-rs") == NULL) {
        printf("round trips passed; not zlib-rs: zlibVersion() is %s\n", v);
        return 1;
    }
    printf("round trips passed with %s\n", v);
    return 0;
}
