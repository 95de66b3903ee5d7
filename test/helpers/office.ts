import JSZip from 'jszip';

const CT_DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
const CT_DOCM = 'application/vnd.ms-word.document.macroEnabled.main+xml';
const CT_XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';
const CT_XLSM = 'application/vnd.ms-excel.sheet.macroEnabled.main+xml';

const contentTypes = (main: string, part: string, extra = '') =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Default Extension="xml" ContentType="application/xml"/>${extra}<Override PartName="/${part}" ContentType="${main}"/></Types>`;

/**
 * Small Office-shaped ZIP archives for upload tests: a real-looking DOCX or XLSX, its macro-enabled
 * twins (.docm/.xlsm by content type, or a vbaProject.bin inside), and ZIPs that only pretend.
 */
export async function officeFile(
  kind: 'docx' | 'xlsx' | 'docm' | 'xlsm' | 'docx-with-vba' | 'zip-naming-word' | 'docx-without-content-types',
  opts: { compression?: 'STORE' | 'DEFLATE' } = {},
): Promise<Buffer> {
  const zip = new JSZip();
  switch (kind) {
    case 'docx':
    case 'docm':
    case 'docx-with-vba':
      // .docm: told by its content type alone; docx-with-vba: an ordinary content type but a VBA project inside.
      zip.file('[Content_Types].xml', contentTypes(kind === 'docm' ? CT_DOCM : CT_DOCX, 'word/document.xml'));
      zip.file('word/document.xml', '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Yttrande</w:t></w:r></w:p></w:body></w:document>');
      if (kind === 'docx-with-vba') zip.file('word/vbaProject.bin', Buffer.from('VBA-projekt: Sub AutoOpen()'));
      break;
    case 'xlsx':
    case 'xlsm':
      zip.file('[Content_Types].xml', contentTypes(kind === 'xlsm' ? CT_XLSM : CT_XLSX, 'xl/workbook.xml'));
      zip.file('xl/workbook.xml', '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>');
      if (kind === 'xlsm') zip.file('xl/vbaProject.bin', Buffer.from('VBA-projekt'));
      break;
    case 'zip-naming-word':
      // Any ZIP whose bytes mention word/ and xl/: not a Word or Excel document.
      zip.file('word/document.xml.txt', 'word/document.xml xl/workbook.xml');
      zip.file('readme.txt', 'word/ xl/');
      break;
    case 'docx-without-content-types':
      zip.file('word/document.xml', '<w:document/>');
      break;
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: opts.compression ?? 'DEFLATE' });
}
