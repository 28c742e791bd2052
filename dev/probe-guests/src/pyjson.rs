//! JSON as the probes stage writes it: indented by two spaces, `": "`
//! between key and value, every character outside printable ASCII escaped
//! (`\uXXXX`, UTF-16), floats written with the shortest digits that read
//! back the same (`1e-05`, `1e+16`, `2.0`). That is the format of
//! tests/probes/probes.json; keys are sorted when the value is a
//! `serde_json::Value` (its maps are ordered), in field order for structs.

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};
use std::io::{self, Write};

/// A `PrettyFormatter` that escapes as described above.
struct AsciiPretty<'a>(PrettyFormatter<'a>);

impl Formatter for AsciiPretty<'_> {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, s: &str) -> io::Result<()> {
        let mut units = [0u16; 2];
        for c in s.chars() {
            if (' '..='~').contains(&c) {
                w.write_all(&[c as u8])?;
            } else {
                for u in c.encode_utf16(&mut units) {
                    write!(w, "\\u{u:04x}")?;
                }
            }
        }
        Ok(())
    }

    fn write_f64<W: ?Sized + Write>(&mut self, w: &mut W, v: f64) -> io::Result<()> {
        w.write_all(float_repr(v).as_bytes())
    }

    fn write_f32<W: ?Sized + Write>(&mut self, w: &mut W, v: f32) -> io::Result<()> {
        w.write_all(float_repr(f64::from(v)).as_bytes())
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// `value` as text in the format described above, without a final newline.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> crate::Result<String> {
    let mut out = Vec::new();
    let mut ser =
        serde_json::Serializer::with_formatter(&mut out, AsciiPretty(PrettyFormatter::new()));
    value
        .serialize(&mut ser)
        .map_err(|e| crate::Error(format!("writing JSON: {e}")))?;
    // Only ASCII is written.
    String::from_utf8(out).map_err(|e| crate::Error(e.to_string()))
}

/// The shortest decimal that reads back as `v`, positional for exponents
/// from -4 to 15 (with `.0` when whole), else `d.ddde+XX`.
pub fn float_repr(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    // `{:e}` gives the shortest round-trip digits: "-1.25e-7", "3e0".
    let sci = format!("{v:e}");
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` has an exponent");
    let exp: i32 = exp.parse().expect("`{:e}` has a decimal exponent");
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let n = digits.len() as i32;
    if (-4..16).contains(&exp) {
        let point = exp + 1; // digits before the decimal point
        if point <= 0 {
            let zeros = "0".repeat((-point) as usize);
            format!("{sign}0.{zeros}{digits}")
        } else if point >= n {
            let zeros = "0".repeat((point - n) as usize);
            format!("{sign}{digits}{zeros}.0")
        } else {
            let (a, b) = digits.split_at(point as usize);
            format!("{sign}{a}.{b}")
        }
    } else {
        let (a, b) = digits.split_at(1);
        let frac = if b.is_empty() {
            String::new()
        } else {
            format!(".{b}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{a}{frac}e{esign}{:02}", exp.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorted_indented_ascii() {
        let v: serde_json::Value = serde_json::from_str(
            r#"{"b": [1, {"y": null, "x": true}], "a": "é\u007f\n\"\\/😀", "e": [], "o": {}}"#,
        )
        .unwrap();
        let expected = r#"{
  "a": "\u00e9\u007f\n\"\\/\ud83d\ude00",
  "b": [
    1,
    {
      "x": true,
      "y": null
    }
  ],
  "e": [],
  "o": {}
}"#;
        assert_eq!(to_string(&v).unwrap(), expected);
    }

    #[test]
    fn structs_keep_their_field_order() {
        #[derive(Serialize)]
        struct S {
            z: u32,
            a: &'static str,
        }
        assert_eq!(
            to_string(&S { z: 1, a: "x" }).unwrap(),
            "{\n  \"z\": 1,\n  \"a\": \"x\"\n}"
        );
    }

    #[test]
    fn floats_as_the_stage_writes_them() {
        for (v, s) in [
            (2.0, "2.0"),
            (0.5, "0.5"),
            (-1.25, "-1.25"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (123456.789, "123456.789"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.2345e100, "1.2345e+100"),
            (0.1 + 0.2, "0.30000000000000004"),
            (0.0, "0.0"),
        ] {
            assert_eq!(float_repr(v), s, "{v}");
        }
        assert_eq!(to_string(&json!([1.0, 30])).unwrap(), "[\n  1.0,\n  30\n]");
    }
}
