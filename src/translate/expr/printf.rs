//! printf()/format() with a literal format string, rendered as a concatenation of PostgreSQL expressions

use super::expression::Node;
use super::scalar::{as_text, str_literal, type_refused};
use super::typed::Ty;
use super::{literal, Untranslatable};

/// One conversion of the format: flags, width, precision and the conversion letter.
struct Spec {
    left: bool,
    zero: bool,
    plus: bool,
    width: Option<usize>,
    precision: Option<usize>,
    conv: char,
}

fn refused(what: &str) -> Untranslatable {
    Untranslatable::new(format!("printf() {what} is not translated"))
}

/// printf(format, args...): `raw` are the argument nodes, `args` their translations.
pub(crate) fn printf(raw: &[&[Node]], args: &[(String, Ty)]) -> Result<String, Untranslatable> {
    let Some(format) = raw.first().and_then(|f| str_literal(f)) else {
        return Err(refused("with a non-literal format"));
    };
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut next = 1;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            text.push(c);
            continue;
        }
        let mut spec = Spec { left: false, zero: false, plus: false, width: None, precision: None, conv: '%' };
        while let Some(&f) = chars.peek() {
            match f {
                '-' => spec.left = true,
                '0' => spec.zero = true,
                '+' => spec.plus = true,
                _ => break,
            }
            chars.next();
        }
        let digits = |chars: &mut std::iter::Peekable<std::str::Chars>| {
            let mut d = String::new();
            while let Some(&c) = chars.peek().filter(|c| c.is_ascii_digit()) {
                d.push(c);
                chars.next();
            }
            d.parse::<usize>().ok()
        };
        spec.width = digits(&mut chars);
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.precision = Some(digits(&mut chars).unwrap_or(0));
        }
        spec.conv = chars.next().ok_or_else(|| refused("format ending in %"))?;
        if spec.conv == '%' {
            text.push('%');
            continue;
        }
        if !text.is_empty() {
            pieces.push(literal::string(&std::mem::take(&mut text)));
        }
        let arg = args.get(next).map_or(("NULL", Ty::Null), |(s, t)| (s.as_str(), *t));
        next += 1;
        pieces.push(conversion(&spec, arg.0, arg.1)?);
    }
    if !text.is_empty() || pieces.is_empty() {
        pieces.push(literal::string(&text));
    }
    Ok(format!("({})", pieces.join(" || ")))
}

fn pad(spec: &Spec, body: String) -> Result<String, Untranslatable> {
    Ok(match spec.width {
        None => body,
        Some(w) if w > 1000 => return Err(refused("with a width above 1000")),
        Some(w) if spec.left => format!("rpad({body}, greatest({w}, length({body})))"),
        Some(w) => format!("lpad({body}, greatest({w}, length({body})))"),
    })
}

/// The digits padded with zeros to the precision and, with the 0 flag, to the width less the prefix length.
fn zero_fill(spec: &Spec, digits: &str, prefix: &str) -> Result<String, Untranslatable> {
    let precision = spec.precision.unwrap_or(0);
    if precision > 1000 {
        return Err(refused("with a precision above 1000"));
    }
    let width = if spec.zero { spec.width.unwrap_or(0) } else { 0 };
    if width > 1000 {
        return Err(refused("with a width above 1000"));
    }
    Ok(format!("lpad({digits}, greatest(length({digits}), {precision}, {width} - {prefix})::int, '0')"))
}

fn conversion(spec: &Spec, x: &str, ty: Ty) -> Result<String, Untranslatable> {
    match spec.conv {
        's' | 'z' => {
            // SQLite counts width and precision of %s in bytes
            let t =
                if ty == Ty::Null { "''".to_string() } else { format!("coalesce({}, '')", as_text("printf", x, ty)?) };
            let t = match spec.precision {
                None => t,
                Some(n) if n > 1000 => return Err(refused("with a precision above 1000")),
                Some(n) => first_bytes(&t, n),
            };
            match spec.width {
                None => Ok(t),
                Some(w) if w > 1000 => Err(refused("with a width above 1000")),
                Some(w) if spec.left => Ok(format!("({t} || repeat(' ', greatest({w} - octet_length({t}), 0)))")),
                Some(w) => Ok(format!("(repeat(' ', greatest({w} - octet_length({t}), 0)) || {t})")),
            }
        }
        'd' | 'i' => {
            let v = match ty {
                Ty::Int | Ty::Bool => format!("coalesce(({x})::bigint, 0)"),
                Ty::Real | Ty::Number => format!("coalesce(trunc({x})::bigint, 0)"),
                Ty::Null => "0::bigint".into(),
                _ => return Err(type_refused("printf", ty)),
            };
            // SQLite pads the digits with zeros to the precision, or with the 0 flag to the width less the sign
            let sign = format!("(CASE WHEN {v} < 0 THEN '-' ELSE '{}' END)", if spec.plus { "+" } else { "" });
            let digits = format!("ltrim({v}::text, '-')");
            let body = format!("({sign} || {})", zero_fill(spec, &digits, &format!("length({sign})"))?);
            pad(spec, body)
        }
        'x' | 'X' => {
            let v = match ty {
                Ty::Int => format!("to_hex(coalesce({x}, 0))"),
                Ty::Null => "'0'".into(),
                _ => return Err(type_refused("printf", ty)),
            };
            let v = if spec.conv == 'X' { format!("upper({v})") } else { v };
            pad(spec, zero_fill(spec, &v, "0")?)
        }
        'c' => match ty {
            Ty::Text => pad(spec, format!("left(coalesce({x}, ''), 1)")),
            _ => Err(type_refused("printf", ty)),
        },
        'q' | 'Q' => {
            let t = as_text("printf", x, ty)?;
            if spec.conv == 'q' {
                Ok(format!("coalesce(replace({t}, '''', ''''''), '(NULL)')"))
            } else {
                Ok(format!("coalesce('''' || replace({t}, '''', '''''') || '''', 'NULL')"))
            }
        }
        'f' => fixed(spec, x, ty),
        'e' | 'E' | 'g' | 'G' => scientific(spec, x, ty),
        c => Err(refused(&format!("conversion %{c}"))),
    }
}

/// The longest prefix of the text `t` within `n` UTF-8 bytes, as `%.Ns` cuts it. Each character of the first
/// `n` becomes as many letters as its UTF-8 bytes (a, bb, ccc, dddd), so the first `n` letters end either at a
/// character's end or inside one. Inside one, SQLite's result is a piece of a character, invalid UTF-8 that no
/// PostgreSQL text holds: the expression fails there, with a message saying so, rather than give another text.
fn first_bytes(t: &str, n: usize) -> String {
    let mut classes = format!("left({t}, {n})");
    for (class, letters) in
        [("[\\x01-\\x7f]", "a"), ("[\\u0080-\\u07ff]", "bb"), ("[\\u0800-\\uffff]", "ccc"), ("[^abc]", "dddd")]
    {
        classes = format!("regexp_replace({classes}, '{class}', '{letters}', 'g')");
    }
    let whole = format!("regexp_replace(left({classes}, {n}), 'bb|ccc|dddd', 'a', 'g')");
    format!(
        "(CASE WHEN {whole} ~ '[bcd]$' THEN ('printf() %.{n}s cuts a character in two: ' || {whole})::int::text \
         ELSE left({t}, length({whole})) END)"
    )
}

/// %f: SQLite (sqlite3FpDecode) rounds the double's decimal digits half up at the precision, but never keeps
/// more than 16 significant digits; the sign stays even when the digits round to zero.
fn fixed(spec: &Spec, x: &str, ty: Ty) -> Result<String, Untranslatable> {
    let r = match ty {
        Ty::Real | Ty::Number | Ty::Int | Ty::Bool => format!("coalesce(({x})::double precision, 0)"),
        Ty::Null => "0::double precision".into(),
        _ => return Err(type_refused("printf", ty)),
    };
    if spec.zero && spec.width.is_some() {
        return Err(refused("%f with the 0 flag and a width"));
    }
    let p = spec.precision.unwrap_or(6);
    if p > 30 {
        return Err(refused("%f with a precision above 30"));
    }
    let v = exact_abs(&r);
    // the position of the decimal point among the significant digits, read from the exact text
    let point = format!(
        "(CASE WHEN {v} >= 1 THEN length(trunc({v})::text) ELSE -length(substring({v}::text from '^0\\.(0*)')) END)"
    );
    let digits = format!("round(round({v}, least({p}, 16 - {point})), {p})::text");
    let sign = format!("(CASE WHEN {r} < 0 THEN '-' ELSE '{}' END)", if spec.plus { "+" } else { "" });
    pad(spec, format!("({sign} || (CASE WHEN {r} = 0 THEN round(0::numeric, {p})::text ELSE {digits} END))"))
}

/// %e and %g. SQLite (sqlite3FpDecode) rounds the double's decimal digits half up to the significant digits the
/// conversion shows (%e: the precision plus one; %g: the precision, at least 1); the exponent is that of the
/// rounded value, with a sign and at least two digits. PostgreSQL's `to_char(numeric, '9.99EEEE')` does the
/// same on the exact value. %g writes that form when the exponent is below -4 or not below the precision, else
/// the fixed form; either way without trailing zeros or a trailing point. SQLite keeps at most 16 significant
/// digits, so larger precisions are refused.
fn scientific(spec: &Spec, x: &str, ty: Ty) -> Result<String, Untranslatable> {
    let r = match ty {
        Ty::Real | Ty::Number | Ty::Int | Ty::Bool => format!("coalesce(({x})::double precision, 0)"),
        Ty::Null => "0::double precision".into(),
        _ => return Err(type_refused("printf", ty)),
    };
    if spec.zero && spec.width.is_some() {
        return Err(refused(&format!("%{} with the 0 flag and a width", spec.conv)));
    }
    let general = matches!(spec.conv, 'g' | 'G');
    let p = spec.precision.unwrap_or(6);
    // the digits after the point of the exponent form
    let decimals = if general { p.max(1) - 1 } else { p };
    if decimals > 15 {
        return Err(refused(&format!("%{} with more than 16 significant digits", spec.conv)));
    }
    let v = exact_abs_all(&r);
    let pattern = if decimals == 0 { "9EEEE".to_string() } else { format!("9.{}EEEE", "9".repeat(decimals)) };
    // EEEE takes no FM: the sign's space goes with ltrim. to_char leaves a carry unnormalized (99.995 with two
    // decimals gives 10.00e+01): formatting its own, already rounded, output again normalizes it
    let sci = format!("ltrim(to_char(ltrim(to_char({v}, '{pattern}'))::numeric, '{pattern}'))");
    let upper = |t: String| if spec.conv.is_ascii_uppercase() { format!("upper({t})") } else { t };
    let body = if general {
        let exp = format!("substring({sci} from 'e([-+][0-9]+)$')::int");
        let fixed = format!("round({v}, greatest({decimals} - {exp}, 0))::text");
        let exponent_form = upper(format!("regexp_replace({sci}, '\\.?0+e', 'e')"));
        format!(
            "(CASE WHEN {exp} < -4 OR {exp} > {decimals} THEN {exponent_form} ELSE \
             regexp_replace(regexp_replace({fixed}, '(\\.[0-9]*?)0+$', '\\1'), '\\.$', '') END)"
        )
    } else {
        upper(sci)
    };
    let zero = if general {
        "'0'".to_string()
    } else {
        let e = if spec.conv == 'E' { 'E' } else { 'e' };
        format!("round(0::numeric, {p})::text || '{e}+00'")
    };
    let sign = format!("(CASE WHEN {r} < 0 THEN '-' ELSE '{}' END)", if spec.plus { "+" } else { "" });
    pad(spec, format!("({sign} || (CASE WHEN {r} = 0 THEN {zero} ELSE {body} END))"))
}

/// The exact decimal value of |r| for a finite double r: m * 2^e with an integer m, e chosen from the
/// magnitude so that m has at most 54 bits (below 2^52, the expansion of realtext, exact above 1e-35).
fn exact_abs(r: &str) -> String {
    exact_abs_with(r, super::realtext::exact_numeric(&format!("nullif(abs({r}), 0)")))
}

/// [`exact_abs`] down to the smallest double.
fn exact_abs_all(r: &str) -> String {
    exact_abs_with(r, super::realtext::exact_numeric_all(&format!("nullif(abs({r}), 0)")))
}

fn exact_abs_with(r: &str, exact: String) -> String {
    // nullif: a constant zero must not reach log() when PostgreSQL folds the branches
    let a = format!("nullif(abs({r}), 0)");
    let e = format!("greatest(floor(log(2, {a}::numeric))::int - 53, 0)");
    let m = format!("({a} / power(2::double precision, {e}))::bigint::numeric");
    format!("(CASE WHEN {a} >= 4503599627370496 THEN {m} * power(2::numeric, {e}) ELSE {exact} END)")
}
