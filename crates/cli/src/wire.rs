//! Command-line values of the model's string-valued enums (`--stance`,
//! `--type`, `--kind`, export formats…): one parser for all of them, which
//! lists their values in `--help` and accepts their extra spellings.

use std::ffi::OsStr;
use std::marker::PhantomData;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;
use dossier::model::names::WireEnum;

/// The parser of `T`'s values, for `#[arg(value_parser = wire::<T>())]`.
pub fn wire<T: WireEnum>() -> WireParser<T> {
    WireParser(PhantomData)
}

#[derive(Clone)]
pub struct WireParser<T>(PhantomData<fn() -> T>);

impl<T: WireEnum> TypedValueParser for WireParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        T::from_name(&text).ok_or_else(|| {
            let noun = arg.map_or("value".to_string(), |a| {
                a.get_id().as_str().replace('_', " ")
            });
            let names: Vec<&str> = T::values().iter().map(|v| v.name()).collect();
            let (last, rest) = names.split_last().expect("an enum has values");
            let choices = match rest {
                [] => last.to_string(),
                _ => format!("{} or {last}", rest.join(", ")),
            };
            clap::Error::raw(
                ErrorKind::InvalidValue,
                format!("unknown {noun} '{text}' (use {choices})\n"),
            )
            .with_cmd(cmd)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::values().iter().map(|v| {
            PossibleValue::new(v.name()).aliases(v.aliases().iter().copied())
        })))
    }
}
