//! Column types: parsing the model's type strings into one canonical form.
//!
//! The canonical form is PostgreSQL's own spelling (`format_type`), so that a type from
//! the model and a type read back from the catalog compare equal.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SqlType {
    SmallInt,
    Integer,
    BigInt,
    /// `serial`, `bigserial`, `smallserial`: an integer with an owned sequence default.
    Serial(SerialKind),
    Text,
    Varchar(Option<u32>),
    Char(Option<u32>),
    Boolean,
    Numeric(Option<(u32, u32)>),
    Real,
    Double,
    Date,
    Time,
    Timestamp,
    Timestamptz,
    Interval,
    Uuid,
    Json,
    Jsonb,
    Vector(u32),
    Tsvector,
    Inet,
    Cidr,
    Bytea,
    /// A type declared in the model (an enum): schema and name.
    Named {
        schema: Option<String>,
        name: String,
    },
    Array(Box<SqlType>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum SerialKind {
    Small,
    Regular,
    Big,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeError {
    pub message: String,
    pub hint: Option<String>,
}

impl SqlType {
    /// Parses a type as written in the model. Unknown bare names come back as
    /// `Named`, for the validator to resolve against the model's enums.
    pub fn parse(input: &str) -> Result<SqlType, TypeError> {
        let text = input.trim();
        if let Some(inner) = text.strip_suffix("[]") {
            let element = SqlType::parse(inner)?;
            if matches!(element, SqlType::Serial(_)) {
                return Err(TypeError {
                    message: format!("`{text}` is not a type: serial cannot be an array"),
                    hint: Some("use `integer[]` or `bigint[]`".into()),
                });
            }
            return Ok(SqlType::Array(Box::new(element)));
        }
        let lower = text.to_ascii_lowercase();
        let (base, args) = match lower.find('(') {
            Some(open) => {
                let Some(body) = lower[open + 1..].strip_suffix(')') else {
                    return Err(TypeError {
                        message: format!("malformed type `{text}`: unbalanced parenthesis"),
                        hint: None,
                    });
                };
                (
                    lower[..open].trim().to_string(),
                    Some(parse_args(text, body)?),
                )
            }
            None => (lower.split_whitespace().collect::<Vec<_>>().join(" "), None),
        };
        let no_args = |ty: SqlType| -> Result<SqlType, TypeError> {
            match &args {
                None => Ok(ty),
                Some(_) => Err(TypeError {
                    message: format!("type `{base}` takes no parameters, found `{text}`"),
                    hint: None,
                }),
            }
        };
        let one_arg = |args: &Option<Vec<u32>>| -> Result<Option<u32>, TypeError> {
            match args.as_deref() {
                None => Ok(None),
                Some([n]) => Ok(Some(*n)),
                Some(_) => Err(TypeError {
                    message: format!("type `{base}` takes one parameter, found `{text}`"),
                    hint: None,
                }),
            }
        };
        Ok(match base.as_str() {
            "smallint" | "int2" => no_args(SqlType::SmallInt)?,
            "integer" | "int" | "int4" => no_args(SqlType::Integer)?,
            "bigint" | "int8" => no_args(SqlType::BigInt)?,
            "smallserial" | "serial2" => no_args(SqlType::Serial(SerialKind::Small))?,
            "serial" | "serial4" => no_args(SqlType::Serial(SerialKind::Regular))?,
            "bigserial" | "serial8" => no_args(SqlType::Serial(SerialKind::Big))?,
            "text" => no_args(SqlType::Text)?,
            "varchar" | "character varying" => SqlType::Varchar(one_arg(&args)?),
            "char" | "character" | "bpchar" => SqlType::Char(one_arg(&args)?),
            "boolean" | "bool" => no_args(SqlType::Boolean)?,
            "numeric" | "decimal" => match args.as_deref() {
                None => SqlType::Numeric(None),
                Some([p]) => SqlType::Numeric(Some((*p, 0))),
                Some([p, s]) => {
                    if s > p {
                        return Err(TypeError {
                            message: format!("`{text}`: scale {s} exceeds precision {p}"),
                            hint: Some("numeric(p,s) needs s <= p".into()),
                        });
                    }
                    SqlType::Numeric(Some((*p, *s)))
                }
                Some(_) => {
                    return Err(TypeError {
                        message: format!("`{text}`: numeric takes (precision, scale)"),
                        hint: None,
                    });
                }
            },
            "real" | "float4" => no_args(SqlType::Real)?,
            "double precision" | "float8" | "double" | "float" => no_args(SqlType::Double)?,
            "date" => no_args(SqlType::Date)?,
            "time" | "time without time zone" => no_args(SqlType::Time)?,
            "timestamp" | "timestamp without time zone" => no_args(SqlType::Timestamp)?,
            "timestamptz" | "timestamp with time zone" => no_args(SqlType::Timestamptz)?,
            "interval" => no_args(SqlType::Interval)?,
            "uuid" => no_args(SqlType::Uuid)?,
            "json" => no_args(SqlType::Json)?,
            "jsonb" => no_args(SqlType::Jsonb)?,
            "tsvector" => no_args(SqlType::Tsvector)?,
            "inet" => no_args(SqlType::Inet)?,
            "cidr" => no_args(SqlType::Cidr)?,
            "bytea" => no_args(SqlType::Bytea)?,
            "vector" => match one_arg(&args)? {
                Some(dim) => SqlType::Vector(dim),
                None => {
                    return Err(TypeError {
                        message: "`vector` needs a dimension".into(),
                        hint: Some("write `vector(384)`".into()),
                    });
                }
            },
            _ => {
                // Keep the original spelling: enum names are case-sensitive once quoted.
                // Quoted parts (`americano."EventType"`, the catalog's spelling of a
                // mixed-case enum) are read without their quotes.
                let parts = match (&args, name_parts(text)) {
                    (None, Some(parts)) if parts.len() <= 2 => parts,
                    _ => return Err(unknown(text)),
                };
                match parts.as_slice() {
                    [schema, name] => SqlType::Named {
                        schema: Some(schema.clone()),
                        name: name.clone(),
                    },
                    [name] => SqlType::Named {
                        schema: None,
                        name: name.clone(),
                    },
                    _ => return Err(unknown(text)),
                }
            }
        })
    }

    /// The storage type of a serial column, and the type a foreign key to it must have.
    pub fn storage(&self) -> SqlType {
        match self {
            SqlType::Serial(SerialKind::Small) => SqlType::SmallInt,
            SqlType::Serial(SerialKind::Regular) => SqlType::Integer,
            SqlType::Serial(SerialKind::Big) => SqlType::BigInt,
            other => other.clone(),
        }
    }

    pub fn is_vector(&self) -> bool {
        matches!(self, SqlType::Vector(_))
    }

    pub fn is_float(&self) -> bool {
        matches!(self, SqlType::Real | SqlType::Double)
    }
}

/// The dot-separated parts of a (possibly qualified) type name, each plain (letters,
/// digits, `_`) or double-quoted (`""` inside stands for one `"`); `None` when malformed.
pub(crate) fn name_parts(text: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    '"' => break,
                    c => part.push(c),
                }
            }
        } else {
            while let Some(c) = chars.peek().copied().filter(|c| is_ident_char(*c)) {
                part.push(c);
                chars.next();
            }
        }
        if part.is_empty() {
            return None;
        }
        parts.push(part);
        match chars.next() {
            None => return Some(parts),
            Some('.') => {}
            Some(_) => return None,
        }
    }
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn unknown(text: &str) -> TypeError {
    TypeError {
        message: format!("unknown type `{text}`"),
        hint: Some(
            "use a built-in type (bigint, text, varchar(n), numeric(p,s), timestamptz, jsonb, \
             vector(n), …) or an enum declared under `enums`"
                .into(),
        ),
    }
}

fn parse_args(text: &str, body: &str) -> Result<Vec<u32>, TypeError> {
    body.split(',')
        .map(|part| {
            part.trim().parse::<u32>().map_err(|_| TypeError {
                message: format!("malformed type `{text}`: `{}` is not a number", part.trim()),
                hint: None,
            })
        })
        .collect()
}

/// An argument type as it identifies a routine, whichever side spelled it: PostgreSQL
/// keeps no type modifier on an argument (`varchar(20)` is `character varying`), built-in
/// types take `format_type`'s spelling, and other types are schema-qualified, an
/// unqualified one being in `default_schema`.
pub fn identity_type(ty: &str, default_schema: &str) -> String {
    match SqlType::parse(ty) {
        Ok(parsed) => identity_spelling(&parsed.storage(), default_schema),
        Err(_) => {
            // Types the model's parser does not know (`bit varying(5)`): lower case,
            // without a modifier.
            let mut text = String::new();
            let mut depth = 0usize;
            for c in ty.chars() {
                match c {
                    '(' => depth += 1,
                    ')' => depth = depth.saturating_sub(1),
                    c if depth == 0 => text.push(c),
                    _ => {}
                }
            }
            let words: Vec<&str> = text.split_whitespace().collect();
            builtin_alias(&words.join(" ").to_ascii_lowercase()).to_string()
        }
    }
}

/// `format_type`'s name of a built-in type the model may spell otherwise.
fn builtin_alias(name: &str) -> &str {
    match name {
        "timetz" => "time with time zone",
        "varbit" => "bit varying",
        other => other,
    }
}

fn identity_spelling(ty: &SqlType, default_schema: &str) -> String {
    match ty {
        SqlType::Varchar(_) => "character varying".to_string(),
        SqlType::Char(_) => "character".to_string(),
        SqlType::Numeric(_) => "numeric".to_string(),
        SqlType::Vector(_) => "vector".to_string(),
        SqlType::Array(inner) => format!("{}[]", identity_spelling(inner, default_schema)),
        SqlType::Named { schema: None, name } if crate::validate::is_builtin_extra(name) => {
            builtin_alias(&name.to_ascii_lowercase()).to_string()
        }
        SqlType::Named { schema, name } => format!(
            "{}.{}",
            identity_part(schema.as_deref().unwrap_or(default_schema)),
            identity_part(name)
        ),
        other => other.to_string(),
    }
}

/// A name part, double-quoted unless it is a plain lower-case identifier.
fn identity_part(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// PostgreSQL's spelling, as `format_type()` prints it.
impl fmt::Display for SqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqlType::SmallInt => f.write_str("smallint"),
            SqlType::Integer => f.write_str("integer"),
            SqlType::BigInt => f.write_str("bigint"),
            SqlType::Serial(SerialKind::Small) => f.write_str("smallserial"),
            SqlType::Serial(SerialKind::Regular) => f.write_str("serial"),
            SqlType::Serial(SerialKind::Big) => f.write_str("bigserial"),
            SqlType::Text => f.write_str("text"),
            SqlType::Varchar(None) => f.write_str("character varying"),
            SqlType::Varchar(Some(n)) => write!(f, "character varying({n})"),
            SqlType::Char(None) => f.write_str("character(1)"),
            SqlType::Char(Some(n)) => write!(f, "character({n})"),
            SqlType::Boolean => f.write_str("boolean"),
            SqlType::Numeric(None) => f.write_str("numeric"),
            SqlType::Numeric(Some((p, s))) => write!(f, "numeric({p},{s})"),
            SqlType::Real => f.write_str("real"),
            SqlType::Double => f.write_str("double precision"),
            SqlType::Date => f.write_str("date"),
            SqlType::Time => f.write_str("time without time zone"),
            SqlType::Timestamp => f.write_str("timestamp without time zone"),
            SqlType::Timestamptz => f.write_str("timestamp with time zone"),
            SqlType::Interval => f.write_str("interval"),
            SqlType::Uuid => f.write_str("uuid"),
            SqlType::Json => f.write_str("json"),
            SqlType::Jsonb => f.write_str("jsonb"),
            SqlType::Vector(n) => write!(f, "vector({n})"),
            SqlType::Tsvector => f.write_str("tsvector"),
            SqlType::Inet => f.write_str("inet"),
            SqlType::Cidr => f.write_str("cidr"),
            SqlType::Bytea => f.write_str("bytea"),
            SqlType::Named { schema, name } => match schema {
                Some(s) => write!(f, "{s}.{name}"),
                None => f.write_str(name),
            },
            SqlType::Array(inner) => write!(f, "{inner}[]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_spellings() {
        for (input, canonical) in [
            ("BIGINT", "bigint"),
            ("int4", "integer"),
            ("varchar(255)", "character varying(255)"),
            ("DECIMAL(10,2)", "numeric(10,2)"),
            ("timestamptz", "timestamp with time zone"),
            ("vector(384)", "vector(384)"),
            ("text[]", "text[]"),
            ("double precision", "double precision"),
            ("ims.issue_status", "ims.issue_status"),
            ("americano.\"EventType\"", "americano.EventType"),
        ] {
            assert_eq!(
                SqlType::parse(input).map(|t| t.to_string()),
                Ok(canonical.into())
            );
        }
    }

    #[test]
    fn identity_spellings_agree_between_model_and_server() {
        // (the model's spelling, format_type's spelling of the argument type)
        for (model, server) in [
            ("int", "integer"),
            ("varchar(20)", "character varying"),
            ("numeric(10,2)", "numeric"),
            ("char(3)", "character"),
            ("timetz", "time with time zone"),
            ("varbit", "bit varying"),
            ("app.\"EventType\"", "app.\"EventType\""),
            ("public.status", "status"),
            ("text[]", "text[]"),
            ("serial", "integer"),
            ("regclass", "regclass"),
        ] {
            assert_eq!(
                identity_type(model, "public"),
                identity_type(server, "public"),
                "{model} vs {server}"
            );
        }
        assert_eq!(identity_type("status", "app"), "app.status");
        assert_eq!(identity_type("bit varying(5)", "app"), "bit varying");
        assert_eq!(identity_type("varbit(5)", "app"), "bit varying");
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "varchar(x)",
            "numeric(2,5)",
            "vector",
            "text(3)",
            "no such",
            "serial[]",
        ] {
            assert!(SqlType::parse(bad).is_err(), "{bad} should be refused");
        }
    }
}
