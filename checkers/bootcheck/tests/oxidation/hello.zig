// A tiny Zig program; the index is known only at run time, so the safety
// checks of ReleaseSafe stay in.
const std = @import("std");
var table = [_]u32{ 1, 2, 3, 4 };
pub fn main() void {
    var i: usize = 3;
    i += @intFromPtr(&table) & 1;
    std.debug.print("hello from Zig {d}\n", .{table[i] + 40});
}
