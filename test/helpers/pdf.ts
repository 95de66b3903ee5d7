import { getDocumentProxy } from 'unpdf';

/** Text items as pdf.js returns them (only the fields read here). */
interface TextItem {
  str: string;
  hasEOL?: boolean;
  transform: number[];
  width: number;
  height: number;
}

/**
 * The text of a generated PDF, read back in-process with pdf.js (through the npm package `unpdf`, no
 * system program such as pdftotext): pages in order, items in the order the PDF draws them.
 *
 * Normalised so that assertions compare words, not layout: a space goes between items that are apart on
 * a line and between lines (pdf.js returns a word as several items when its font or kerning changes, so
 * adjacent items are joined without one), compatibility characters are folded (NFKC: the ligature "ﬁ"
 * becomes "fi", a no-break space a space) and every run of whitespace becomes one space.
 */
export async function pdfText(pdf: Buffer | Uint8Array): Promise<string> {
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let text = '';
      let prev: TextItem | undefined;
      for (const raw of content.items) {
        if (!('str' in raw)) continue; // marked-content markers carry no text
        const item = raw as TextItem;
        if (prev) {
          const [, , , , x, y] = item.transform;
          const [, , , , px, py] = prev.transform;
          const size = Math.max(item.height, prev.height, 1);
          if (prev.hasEOL || Math.abs(y - py) > size / 2) text += ' ';
          else if (x - (px + prev.width) > size * 0.15) text += ' ';
        }
        text += item.str;
        prev = item;
      }
      pages.push(text);
    }
    return pages.join(' ').normalize('NFKC').replace(/\s+/g, ' ').trim();
  } finally {
    await doc.destroy();
  }
}
