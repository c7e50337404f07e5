//! Enums whose values cross a boundary as strings (JSON, SQL, CSV, the CLI):
//! each variant's string is written once, in [`wire_enum!`], and serde, ts-rs,
//! `as_str`, `parse` and `Display` all take it from there.

/// What every [`wire_enum!`] is, for code generic over them (the CLI's
/// argument parser lists the values and accepts the extra spellings).
pub trait WireEnum: Sized + Copy + Send + Sync + 'static {
    /// Every value, in declaration order.
    fn values() -> &'static [Self];
    /// The value's string.
    fn name(self) -> &'static str;
    /// Other spellings the value is read from.
    fn aliases(self) -> &'static [&'static str];
    /// The value named `s` (trimmed, ASCII case-insensitive, also an alias).
    fn from_name(s: &str) -> Option<Self>;
}

/// Declares an enum whose variants are stored and sent as fixed strings.
///
/// ```text
/// wire_enum! {
///     /// doc
///     #[derive(Default)]
///     pub enum Verdict {
///         #[default]
///         Unverified = "unverified",
///         Supported = "supported" | "backed",   // extra spellings `parse` accepts
///     }
/// }
/// ```
/// gives `Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord`, serde and ts-rs under those
/// names, `ALL`, `as_str`, `parse` (trimmed, ASCII case-insensitive, also the
/// extra spellings), `Display` and [`WireEnum`].
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $wire:literal $(| $alias:literal)*
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize, ::ts_rs::TS)]
        #[ts(export)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $wire)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$($wire),+].len()] = [$($name::$variant),+];

            /// The value's string, as serde writes it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }

            /// The value named `s` (trimmed, ASCII case-insensitive).
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                $(
                    if s.eq_ignore_ascii_case($wire) $(|| s.eq_ignore_ascii_case($alias))* {
                        return Some($name::$variant);
                    }
                )+
                None
            }
        }

        impl $crate::names::WireEnum for $name {
            fn values() -> &'static [Self] {
                &Self::ALL
            }
            fn name(self) -> &'static str {
                self.as_str()
            }
            fn aliases(self) -> &'static [&'static str] {
                match self {
                    $($name::$variant => &[$($alias),*],)+
                }
            }
            fn from_name(s: &str) -> Option<Self> {
                Self::parse(s)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::{ExportFormat, Verdict};

    #[test]
    fn serde_and_as_str_agree_and_parse_accepts_the_extra_spellings() {
        for v in Verdict::ALL {
            assert_eq!(
                serde_json::to_string(&v).unwrap(),
                format!("\"{}\"", v.as_str())
            );
            assert_eq!(
                Verdict::parse(&format!(" {} ", v.as_str().to_uppercase())),
                Some(v)
            );
            assert_eq!(v.to_string(), v.as_str());
        }
        assert_eq!(ExportFormat::parse("JSON-LD"), Some(ExportFormat::W3c));
        assert_eq!(ExportFormat::parse("w3c"), Some(ExportFormat::W3c));
        assert_eq!(Verdict::parse("maybe"), None);
        assert_eq!(Verdict::default(), Verdict::Unverified);
    }
}
