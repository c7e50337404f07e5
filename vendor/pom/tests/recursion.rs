//! Dossier patch 2: a recursive grammar through `call` gives the same trees
//! when each `call` keeps the parser it made on first use.
extern crate pom;

use pom::parser::*;
use pom::{DataInput, Parser};

#[derive(Debug, PartialEq)]
enum Tree {
	Leaf(u8),
	List(Vec<Tree>),
}

fn space() -> Parser<u8, ()> {
	one_of(b" ").repeat(0..).discard()
}

fn tree() -> Parser<u8, Tree> {
	(one_of(b"0123456789").map(Tree::Leaf)
		| (sym(b'[') * space() * (call(tree) - space()).repeat(0..) - sym(b']')).map(Tree::List))
}

fn leaf(n: u8) -> Tree {
	Tree::Leaf(b'0' + n)
}

#[test]
fn nested_lists_parse_to_the_same_trees() {
	let parsed = tree().parse(&mut DataInput::new(b"[1 [2 3] [] [[4] 5] 6]"));
	assert_eq!(
		parsed,
		Ok(Tree::List(vec![
			leaf(1),
			Tree::List(vec![leaf(2), leaf(3)]),
			Tree::List(vec![]),
			Tree::List(vec![Tree::List(vec![leaf(4)]), leaf(5)]),
			leaf(6),
		]))
	);
	// One parser reused on many inputs, siblings and depths: each answer is its own.
	let p = tree();
	for (text, depth) in [(&b"[[[[7]]]]"[..], 4), (b"[8 [9]]", 2), (b"[]", 1), (b"0", 0)] {
		let mut t = p.parse(&mut DataInput::new(text)).unwrap();
		let mut d = 0;
		while let Tree::List(mut items) = t {
			d += 1;
			t = if items.is_empty() { break } else { items.remove(items.len() - 1) };
		}
		assert_eq!(d, depth, "{:?}", std::str::from_utf8(text));
	}
	// A failure still leaves the input where it was.
	let mut input = DataInput::new(b"[1 [2 x]");
	assert!(tree().parse(&mut input).is_err());
	assert_eq!(pom::Input::position(&input), 0);
}
