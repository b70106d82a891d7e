"""align's CLIP-style byte-level BPE tokenizer, re-implemented in Python from the tokenizer.json
that align writes, so a PyTorch reference can encode captions exactly as align does.

    tok = ClipBpe.load("DIR/tokenizer.json")           # context length from truncation.max_length
    tok.encode("A red apple")                          # [start, ..., end, 0, 0, ...] of length T

The pipeline is that of align's Java ``BpeTokenizer`` (align-data, ``dev.align.data.text``):

1. clean: NFC; HTML entities unescaped twice (numeric references and the 15 named entities that
   align knows); runs of Unicode White_Space to one space; strip; lowercase. The file's
   normalizer says ``NFC, Replace(\\s+ -> " "), Lowercase`` and is checked to say so; the HTML
   step is align's addition (the HuggingFace library, which reads only the file, does not do it).
2. split with the file's pre-tokenizer pattern
   ``<start_of_text>|<end_of_text>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+``,
   or ``Words.MULTILINGUAL``'s, which has ``[\\p{L}\\p{M}]`` for ``[\\p{L}]`` (combining marks
   inside words), matched case-insensitively as Java's ``Pattern`` does; Python's ``re`` has no
   ``\\p{..}``, so the scanner is written out with ``unicodedata`` categories;
3. each piece's UTF-8 bytes become GPT-2's printable characters, the last one with ``</w>``, and
   the merges are applied lowest rank first, leftmost first on ties (the special tokens map to
   their ids directly);
4. rows are ``[start, content[:T-2], end, pad...]`` with start/end from the RobertaProcessing
   post-processor and pad 0, T from ``truncation.max_length`` (or given).

Known limit: Python's ``unicodedata`` and the JVM may know different Unicode versions (Python
3.11: 14.0, Java 17: 13.0), so a letter or digit added in between is classified differently.
"""
import heapq
import json
import re
import unicodedata

EOW = "</w>"
CLIP_CONTEXT_LENGTH = 77
START_TOKEN = "<start_of_text>"
END_TOKEN = "<end_of_text>"
CONTRACTIONS = ("'s", "'t", "'re", "'ve", "'m", "'ll", "'d")
WORD_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"
# BpeTokenizer.Words.MULTILINGUAL: combining marks (\p{M}) stay inside words (Hindi, Thai, ...).
WORD_PATTERN_MULTILINGUAL = ("'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}\\p{M}]+|[\\p{N}]"
                             "|[^\\s\\p{L}\\p{M}\\p{N}]+")

# ----------------------------------------------------------------------------- byte level


def _bytes_to_unicode():
    """GPT-2's reversible byte -> printable character map; ids 0..255 follow this order."""
    printable = [b for b in range(256)
                 if ord("!") <= b <= ord("~") or 0xA1 <= b <= 0xAC or 0xAE <= b <= 0xFF]
    chars = {b: chr(b) for b in printable}
    n = 0
    for b in range(256):
        if b not in chars:
            chars[b] = chr(256 + n)
            n += 1
    return chars


CHAR_OF_BYTE = _bytes_to_unicode()

# ----------------------------------------------------------------------------- cleaning

_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,6});")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": "\u00a0",
          "ndash": "\u2013", "mdash": "\u2014", "hellip": "\u2026", "lsquo": "\u2018",
          "rsquo": "\u2019", "ldquo": "\u201c", "rdquo": "\u201d", "copy": "\u00a9", "reg": "\u00ae"}


def _unescape_entity(m):
    e = m.group(1)
    if e[0] == "#":
        cp = int(e[2:], 16) if e[1] in "xX" else int(e[1:])
        return chr(cp) if 0 < cp <= 0x10FFFF else m.group(0)
    return _NAMED.get(e, m.group(0))


def unescape_html(s):
    """align's HTML unescape: numeric references (not 0, at most U+10FFFF) and 15 named ones."""
    return _ENTITY.sub(_unescape_entity, s) if "&" in s else s


def is_white_space(c):
    """Unicode White_Space: Java's ``\\s`` under UNICODE_CHARACTER_CLASS (Zs, Zl, Zp, 9-13, 85)."""
    o = ord(c)
    return 9 <= o <= 13 or o == 0x85 or unicodedata.category(c) in ("Zs", "Zl", "Zp")


def _java_is_whitespace(c):
    """Java's ``Character.isWhitespace`` (what ``String.strip``/``isBlank`` use)."""
    o = ord(c)
    if 9 <= o <= 13 or 0x1C <= o <= 0x1F:
        return True
    return unicodedata.category(c) in ("Zs", "Zl", "Zp") and o not in (0xA0, 0x2007, 0x202F)


def java_strip(s):
    i, j = 0, len(s)
    while i < j and _java_is_whitespace(s[i]):
        i += 1
    while j > i and _java_is_whitespace(s[j - 1]):
        j -= 1
    return s[i:j]


def java_is_blank(s):
    """``String.isBlank``: empty or only ``Character.isWhitespace`` characters."""
    return all(_java_is_whitespace(c) for c in s)


def clean(text):
    """NFC, HTML unescape twice, White_Space runs to one space, strip, lowercase."""
    t = unicodedata.normalize("NFC", text)
    if "&" in t:
        t = unescape_html(unescape_html(t))
    out, in_space = [], False
    for c in t:
        if is_white_space(c):
            if not in_space:
                out.append(" ")
            in_space = True
        else:
            out.append(c)
            in_space = False
    # str.lower() is Java's toLowerCase(Locale.ROOT): simple mappings plus U+0130 and final sigma.
    return java_strip("".join(out)).lower()

# ----------------------------------------------------------------------------- pre-tokenizer


def _is_letter(c, marks=False):
    """``\\p{L}``, or with ``marks`` the multilingual pattern's word class ``[\\p{L}\\p{M}]``."""
    cat = unicodedata.category(c)[0]
    return cat == "L" or (marks and cat == "M")


def _is_number(c):
    return unicodedata.category(c)[0] == "N"


def _ci_equal(c, p):
    """Java's case-insensitive (UNICODE_CASE) match of input char c against pattern char p:
    toLowerCase(toUpperCase(c)) == toLowerCase(toUpperCase(p)), simple (1:1) mappings only."""
    if c == p:
        return True
    up = c.upper()
    up = up if len(up) == 1 else c
    lo = up.lower()
    lo = lo if len(lo) == 1 else up
    pu = p.upper()
    return lo == (pu.lower() if len(pu) == 1 else p)


def _literal_at(text, i, literal):
    if i + len(literal) > len(text):
        return False
    return all(_ci_equal(text[i + k], literal[k]) for k in range(len(literal)))


def pieces(cleaned, specials=(START_TOKEN, END_TOKEN), marks=False):
    """The pre-tokenizer's matches in order, as Java's ``Matcher.find()`` loop: at each position
    the first alternative that matches wins (special tokens, contractions, a letter run, one
    number, a run of other non-space characters); positions where none matches are skipped.
    With ``marks`` (``Words.MULTILINGUAL``) combining marks count as letters."""
    out, i, n = [], 0, len(cleaned)
    while i < n:
        match = None
        for lit in tuple(specials) + CONTRACTIONS:
            if _literal_at(cleaned, i, lit):
                match = len(lit)
                break
        c = cleaned[i]
        if match is None:
            if _is_letter(c, marks):
                j = i + 1
                while j < n and _is_letter(cleaned[j], marks):
                    j += 1
                match = j - i
            elif _is_number(c):
                match = 1
            elif not is_white_space(c):
                j = i + 1
                while j < n and not (is_white_space(cleaned[j]) or _is_letter(cleaned[j], marks)
                                     or _is_number(cleaned[j])):
                    j += 1
                match = j - i
        if match is None:
            i += 1
        else:
            out.append(cleaned[i:i + match])
            i += match
    return out

# ----------------------------------------------------------------------------- tokenizer


class ClipBpe:
    """align's tokenizer read from its tokenizer.json (see the module docstring)."""

    def __init__(self, vocab, merges, start_token, end_token, context_length, pad_id=0,
                 marks=False):
        if context_length < 2:
            raise ValueError(f"context_length must be >= 2 to hold the start and end tokens, "
                             f"got {context_length}")
        self.vocab = vocab                          # id -> token string
        self.id_of = {t: i for i, t in enumerate(vocab)}
        if len(self.id_of) != len(vocab):
            raise ValueError("a token has two ids")
        self.byte_id = [self._require(CHAR_OF_BYTE[b], "byte symbol") for b in range(256)]
        self.byte_end_id = [self._require(CHAR_OF_BYTE[b] + EOW, "byte symbol") for b in range(256)]
        self.rank_of, self.merge_result = {}, []
        for r, (a, b) in enumerate(merges):
            pair = (self._require(a, f"merge {r}"), self._require(b, f"merge {r}"))
            self.merge_result.append(self._require(a + b, f"result of merge {r}"))
            self.rank_of.setdefault(pair, r)        # a repeated merge keeps its first rank
        self.start_token, self.end_token = start_token, end_token
        self.start_id = self._require(start_token, "start token")
        self.end_id = self._require(end_token, "end token")
        self.context_length = context_length
        self.pad_id = pad_id
        self.marks = marks                          # Words.MULTILINGUAL's pattern
        self._cache = {}

    def _require(self, token, what):
        if token not in self.id_of:
            raise ValueError(f"the vocabulary has no token {token!r} ({what})")
        return self.id_of[token]

    @staticmethod
    def load(path, context_length=None):
        """Reads a tokenizer.json as align's ``BpeTokenizer.load`` does, and checks that its
        normalizer and pre-tokenizer are the ones this implementation follows."""
        with open(path, encoding="utf-8") as f:
            root = json.load(f)
        model = root.get("model", {})
        if model.get("type") != "BPE" or model.get("end_of_word_suffix") != EOW:
            raise ValueError(f"{path}: not a CLIP-style BPE (model.type {model.get('type')!r}, "
                             f"end_of_word_suffix {model.get('end_of_word_suffix')!r})")
        norms = [n.get("type") for n in root.get("normalizer", {}).get("normalizers", [])]
        if norms != ["NFC", "Replace", "Lowercase"]:
            raise ValueError(f"{path}: normalizer {norms} is not align's NFC, Replace, Lowercase")
        pres = root.get("pre_tokenizer", {}).get("pretokenizers", [])
        split = pres[0] if pres else {}
        post = root.get("post_processor") or {}
        start, end = START_TOKEN, END_TOKEN
        if post.get("type") == "RobertaProcessing":
            start, end = post["cls"][0], post["sep"][0]
        pattern = split.get("pattern", {}).get("Regex", "")
        specials = _java_escape(start) + "|" + _java_escape(end) + "|"
        if pattern not in (specials + WORD_PATTERN, specials + WORD_PATTERN_MULTILINGUAL):
            raise ValueError(f"{path}: pre-tokenizer pattern {pattern!r} is neither CLIP's nor "
                             f"align's multilingual one (expected the special tokens then "
                             f"{WORD_PATTERN!r} or {WORD_PATTERN_MULTILINGUAL!r})")
        vocab_map = model["vocab"]
        vocab = [None] * len(vocab_map)
        for token, i in vocab_map.items():
            if not isinstance(i, int) or not 0 <= i < len(vocab) or vocab[i] is not None:
                raise ValueError(f"{path}: model.vocab[{token!r}] = {i}; ids must be 0..{len(vocab) - 1}, "
                                 f"each used once")
            vocab[i] = token
        merges = []
        for m in model.get("merges", []):
            pair = m.split(" ") if isinstance(m, str) else m
            if len(pair) != 2:
                raise ValueError(f"{path}: model.merges[{len(merges)}] = {m!r} is not a pair")
            merges.append(tuple(pair))
        pad = (root.get("padding") or {}).get("pad_id", 0)
        if pad != 0:
            raise ValueError(f"{path}: padding.pad_id is {pad}; align's BpeTokenizer always pads with 0")
        t = context_length or (root.get("truncation") or {}).get("max_length", CLIP_CONTEXT_LENGTH)
        return ClipBpe(vocab, merges, start, end, t,
                       marks=pattern == specials + WORD_PATTERN_MULTILINGUAL)

    def vocab_size(self):
        return len(self.vocab)

    def word_ids(self, piece):
        ids = self._cache.get(piece)
        if ids is None:
            if piece == self.start_token:
                ids = [self.start_id]
            elif piece == self.end_token:
                ids = [self.end_id]
            else:
                # Java's getBytes(UTF_8) writes '?' for a lone surrogate (from "&#xD800;").
                ids = self._bpe(piece.encode("utf-8", errors="replace"))
            self._cache[piece] = ids
        return ids

    def _bpe(self, data):
        """Merges lowest rank first, leftmost first on ties: a heap of (rank, position) over
        adjacent pairs and a linked list of symbols, as align's Java implementation."""
        n = len(data)
        sym = [self.byte_end_id[b] if i == n - 1 else self.byte_id[b] for i, b in enumerate(data)]
        prev = list(range(-1, n - 1))
        nxt = list(range(1, n)) + [-1]
        heap = []

        def offer(i, j):
            r = self.rank_of.get((sym[i], sym[j]))
            if r is not None:
                heapq.heappush(heap, (r, i))

        for i in range(n - 1):
            offer(i, i + 1)
        while heap:
            rank, i = heapq.heappop(heap)
            j = nxt[i]
            if sym[i] < 0 or j < 0 or self.rank_of.get((sym[i], sym[j])) != rank:
                continue                            # merged away or changed since queued
            sym[i] = self.merge_result[rank]
            sym[j] = -1
            nxt[i] = nxt[j]
            if nxt[i] >= 0:
                prev[nxt[i]] = i
                offer(i, nxt[i])
            if prev[i] >= 0:
                offer(prev[i], i)
        out, i = [], 0
        while i >= 0:
            out.append(sym[i])
            i = nxt[i]
        return out

    def content_ids(self, text):
        """Ids of a caption without start, end, padding or truncation."""
        out = []
        for p in pieces(clean(text), (self.start_token, self.end_token), self.marks):
            out.extend(self.word_ids(p))
        return out

    def encode(self, text):
        """One row of ``context_length`` ids: start, the first T-2 content ids, end, padding."""
        content = self.content_ids(text)[:self.context_length - 2]
        row = [self.start_id] + content + [self.end_id]
        return row + [self.pad_id] * (self.context_length - len(row))


def _java_escape(literal):
    """align's escape of a special token for the pattern (regex metacharacters get a backslash)."""
    return "".join("\\" + c if c in "\\^$.|?*+()[]{}" else c for c in literal)

# ----------------------------------------------------------------------------- parity fixture

# Hand-picked captions for the parity fixture: every branch of the cleaning, the pre-tokenizer and
# the row layout that a Java/Python difference could hide in.
EDGE_CASES = [
    "", "   ", "\u00a0", "\u3000\u2028\t\n", "a", "A", "!", "?!", "a!b", "x\u001cy", "\u001c edge \u001f",
    "grinning face", "Grinning   FACE\t\twith\nbig\r\neyes", "flag: Japan", "flag: Côte d’Ivoire",
    "it's he'll we're they've I'm you'd can't", "IT'S HE'LL WE'RE THEY'VE I'M YOU'D", "'s's 'S ''s '''ll",
    "o'clock rock'n'roll", "ſtop 'ſ 'ſt", "\u212a kelvin, \u212b angstrom",
    "<start_of_text>", "<END_OF_TEXT>", "a<start_of_text>b<end_of_text>c", "<Start_Of_Text>hello",
    "<start_of_text", "end_of_text>", "<ſtart_of_text>",
    "&amp;", "&amp;amp;", "&amp;amp;amp;", "fish &amp; chips", "&lt;b&gt;bold&lt;/b&gt;", "&quot;quoted&quot; &apos;x&apos;",
    "&#39;s &#x27;ll", "&#x1F600; smile", "&#128512;", "&#0; zero &#x0;", "&#1114112; too big &#x110000;",
    "&#xD800; lone", "&nbsp;nbsp&nbsp;", "&ndash;&mdash;&hellip;", "&lsquo;&rsquo;&ldquo;&rdquo;&copy;&reg;",
    "&unknown; &Amp; &AMP; &a; &abcdefg;", "&#12345678; &#x1234567;", "&&amp;;", "&amp;#39;",
    "Ωμέγα ΣΟΦΟΣ σοφός ΟΔΟΣ.", "İstanbul IŞIK ı i", "Straße STRASSE ß ẞ", "ǅemal ǈ ǋ",
    "cafe\u0301 café CAFÉ", "e\u0301\u0301", "\u0301alone", "Å Å Å",
    "東京タワー 東京", "한국어 텍스트", "مرحبا بالعالم", "नमस्ते दुनिया", "ไทย ภาษา",
    "😀😃 😄", "👩‍👩‍👧‍👦 family", "🇯🇵 flag", "👍🏽 thumbs", "❤️ heart", "1️⃣ keycap",
    "123 4567", "²³ ½ Ⅻ ⅻ", "١٢٣ ۴۵۶", "１２３ ＡＢＣ", "3.14159 -2e10 1,000,000", "v1.2.3-beta+build",
    "hello\u200bworld", "\ufeffbom", "zero\u200dwidth\u200cjoiner", "soft\u00adhyphen", "a\u0085b",
    "tab\tnew\nline\u000bvt\u000cff", "e-mail: someone@example.com http://x.y/z?a=1&b=2",
    "(parenthesised) [bracketed] {braced} <angled>", "“smart quotes” ‘single’ «guillemets»",
    "--- ... !!! ??? ;;; :::", "a_b_c snake_case CamelCase kebab-case", "#hashtag @mention $money %percent ^caret",
    "\\back\\slash/ and |pipe|", "~tilde~ `backtick`",
    " ".join(["word"] * 40), "supercalifragilisticexpialidocious " * 6,
    "a " * 29 + "end", "a " * 30 + "end", "a " * 31 + "end",
    "😀" * 12, "東" * 40, "Ω" * 50,
    "ssss sssss gggg ttttt ppppp llllll", "grassss bllllue kisssss", "sssssssssssssssss",
    "an extremely long caption that keeps going with many different words so that the tokenizer "
    "has to truncate it well before the end, keeping the end token in the last position of the row",
]

# Added to the fixture of a tokenizer with the multilingual pattern: vowel signs, viramas and
# tone marks (Mn, Mc) inside and at the edges of words, in Hindi, Thai, Japanese and German.
MULTILINGUAL_CASES = [
    "हिन्दी", "नमस्ते दुनिया", "मुस्कुराता चेहरा", "ज़्यादा क़िस्म", "ि alone", "a\u093fb", "हाथ 👋 हिलाना",
    "ไทย ภาษา", "หน้ายิ้ม", "แอปเปิ้ลแดง", "กิ่งก้าน ผู้ใหญ่", "\u0e34\u0e48 เริ่ม", "ก\u0e4c\u0e4c",
    "赤いリンゴと犬", "がぎぐげご ガギグゲゴ", "か\u3099き\u309a", "パ\u309a", "東京タワー",
    "Fuchsgesicht", "Über Straße ÄÖÜ äöü", "Mu\u0308nchen", "grinsendes Gesicht mit großen Augen",
    "नमस्ते, ไทย! 赤い? Grüße.", "१२३ ๑๒๓ 一二三", "क्‍ष क्‌ष", "e\u0301\u0301 \u0301\u0301",
]

# Characters the fuzzed captions are drawn from (with weights): every class the pre-tokenizer
# distinguishes, whitespace of several kinds, and pieces of entities and special tokens.
_FUZZ_POOL = (
    [(c, 6) for c in "abcdefghijklmnopqrstuvwxyz"] + [(c, 2) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
    + [(c, 2) for c in "0123456789"] + [(" ", 25), ("'", 4), ("&", 2), (";", 2), ("#", 1)]
    + [(c, 1) for c in "!\"$%()*+,-./:<=>?@[\\]^_`{|}~"]
    + [(c, 1) for c in "\t\n\u00a0\u2003\u3000\u2028\u0085\u001c\u200b\u00ad\ufeff"]
    + [(c, 1) for c in "éÉèçñöÖüßſİıΣσςΩωκάЖжЯя東京日本한국مرحनमे\u0301\u0308²½Ⅻ١１Å\u212a"]
    + [(c, 1) for c in "😀👍🏽❤\ufe0f🇯🇵\u200d"]
    + [(s, 2) for s in ("'s", "'ll", "'re", "'T", "&amp;", "&lt;", "&#39;", "&#x263A;", "&nbsp;",
                        "<start_of_text>", "<END_of_text>", "<start", "text>")]
)


def fuzz_captions(count, seed):
    import random
    rng = random.Random(seed)
    items, weights = zip(*_FUZZ_POOL)
    out = []
    for _ in range(count):
        n = rng.choice([1, 2, 3, 5, 8, 13, 21, 34, 55, 89])
        out.append("".join(rng.choices(items, weights=weights, k=n)))
    return out


def shard_captions(pattern, count, seed):
    """``count`` captions drawn (seeded) from WebDataset shards: ``KEY.txt`` members."""
    import random
    import tarfile
    from reference_train import expand_shards
    caps = []
    for path in expand_shards(pattern):
        with tarfile.open(path) as tf:
            for m in tf.getmembers():
                if m.isfile() and m.name.endswith(".txt"):
                    caps.append(tf.extractfile(m).read().decode("utf-8"))
    caps = sorted(set(caps))
    return random.Random(seed).sample(caps, min(count, len(caps)))


def write_fixture(tokenizer_path, out_dir, shards, seed=0):
    """Writes ``out_dir/tokenizer.json`` (a copy) and ``out_dir/cases.json``: for each caption
    its row ``ids`` (up to and including the end token; the rest is padding 0) and, when the row
    was truncated, all its ``content`` ids, as this module computes them."""
    import os
    import shutil
    tok = ClipBpe.load(tokenizer_path)
    captions = list(EDGE_CASES) + (MULTILINGUAL_CASES if tok.marks else []) \
        + fuzz_captions(120, seed)
    for i, pattern in enumerate(shards):
        captions += shard_captions(pattern, 120 // len(shards), seed + i)
    cases = []
    for text in captions:
        row = tok.encode(text)
        content = tok.content_ids(text)
        end = min(len(content), tok.context_length - 2) + 2   # the caption may hold end tokens
        case = {"text": text, "ids": row[:end]}
        if content != row[1:end - 1]:        # only truncated rows lose content ids
            case["content"] = content
        cases.append(case)
    os.makedirs(out_dir, exist_ok=True)
    shutil.copyfile(tokenizer_path, os.path.join(out_dir, "tokenizer.json"))
    doc = {"generator": "tools/reference_tokenizer.py", "contextLength": tok.context_length,
           "padId": tok.pad_id, "cases": cases}
    with open(os.path.join(out_dir, "cases.json"), "w", encoding="utf-8") as f:
        f.write("{\n")
        for k in ("generator", "contextLength", "padId"):
            f.write(f"  {json.dumps(k)}: {json.dumps(doc[k])},\n")
        f.write('  "cases": [\n')
        f.write(",\n".join("    " + json.dumps(c, ensure_ascii=True, separators=(", ", ": "))
                           for c in cases))
        f.write("\n  ]\n}\n")
    return cases


def main():
    import argparse
    ap = argparse.ArgumentParser(description="Writes the tokenizer parity fixture that align's "
                                 "Java test TokenizerParityTest compares against.")
    ap.add_argument("--tokenizer", required=True, help="a tokenizer.json written by align")
    ap.add_argument("--out", required=True, help="fixture folder")
    ap.add_argument("--shards", action="append", default=[],
                    help="brace pattern of shards to draw real captions from (repeatable)")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    cases = write_fixture(a.tokenizer, a.out, a.shards, a.seed)
    truncated = sum("content" in c for c in cases)
    non_ascii = sum(any(ord(ch) > 127 for ch in c["text"]) for c in cases)
    print(f"{len(cases)} captions ({truncated} truncated, {non_ascii} non-ASCII) -> {a.out}")


if __name__ == "__main__":
    main()
