//! Prints what Dossier reads of one page of a PDF, and how completely:
//! `cargo run -p dossier-ingest --example pdfpage -- FILE.pdf PAGE`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, file, page] = &args[..] else {
        eprintln!("usage: pdfpage FILE.pdf PAGE");
        std::process::exit(2);
    };
    let page: u32 = page.parse().expect("PAGE is a number");
    let bytes = std::fs::read(file).expect("readable file");
    let e = dossier_ingest::extract_unisolated(&bytes, "page.pdf").expect("extracted");
    for b in e.blocks.iter().filter(|b| b.page == Some(page)) {
        println!("[{:?}] {}\n", b.kind, b.text);
    }
    println!("{:?}", e.pages.get(page as usize - 1));
}
