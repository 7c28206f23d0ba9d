# The DOM dump's walk: an lxml tree read as libxml2 nodes, with no Python proxy per element.
#
# htmldom.py owns what the walk knows (which tags are blocks, skipped, spaced; what a class
# says); this reads the tree as `etree.iterwalk` over lxml's elements would, and produces the
# same lines. tests/reference_dom.py keeps the Python walk this replaced.

from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.string cimport strcmp, strlen
from lxml.includes cimport tree

cdef extern from *:
    """
    /* lxml's public element object (lxml.etree.h, struct LxmlElement): the tree node it
       stands for is its third field. */
    typedef struct {
        PyObject_HEAD
        void *_doc;
        void *_c_node;
        PyObject *_tag;
    } cleaner_lxml_element;
    """
    ctypedef struct cleaner_lxml_element:
        void* _c_node

# A tag's part in the walk (htmldom.tag_role gives them; the walk asks once a tag a page).
cpdef enum:
    TAG_SKIP = 1
    TAG_BLOCK = 2
    TAG_SPACED = 4
    TAG_CELL = 8
    TAG_STRUCTURE = 16
    TAG_BREAK = 32
    TAG_PARAGRAPH = 64
    TAG_PRE = 128


cdef inline bint _walked(tree.xmlNode* node) noexcept:
    """Elements, and the comments and processing instructions between them, whose tails are
    text of the page: "b" of `<p>a<!-- -->b</p>` (React writes `<!-- -->` between the
    pieces of a sentence)."""
    return (node.type == tree.XML_ELEMENT_NODE or node.type == tree.XML_COMMENT_NODE
            or node.type == tree.XML_PI_NODE)


cdef inline tree.xmlNode* _next_walked(tree.xmlNode* node) noexcept:
    while node is not NULL and not _walked(node):
        node = node.next
    return node


cdef inline bint _is_text(tree.xmlNode* node) noexcept:
    return node.type == tree.XML_TEXT_NODE or node.type == tree.XML_CDATA_SECTION_NODE


cdef object _text_from(tree.xmlNode* node):
    """lxml's `_collectText`: the run of text nodes from `node` on (XInclude markers passed
    over), None when there is none; an element's .text from its first child, its .tail from
    its next sibling."""
    cdef list parts = None
    cdef object first = None
    cdef int count = 0
    while node is not NULL:
        if _is_text(node):
            if node.content is not NULL and node.content[0] != 0:
                piece = PyUnicode_DecodeUTF8(<const char*>node.content,
                                             strlen(<const char*>node.content), NULL)
                if first is None:
                    first = piece
                else:
                    if parts is None:
                        parts = [first]
                    parts.append(piece)
            count += 1
        elif node.type != tree.XML_XINCLUDE_START and node.type != tree.XML_XINCLUDE_END:
            break
        node = node.next
    if parts is not None:
        return "".join(parts)
    if first is not None:
        return first
    return "" if count else None


cdef void _gather_text(tree.xmlNode* node, list out):
    """Every text node's content below `node`, in document order (xmlNodeBufGetContent,
    which lxml's tostring(method="text") calls; entities' own text among them)."""
    cdef tree.xmlNode* child = node.children
    while child is not NULL:
        if _is_text(child):
            if child.content is not NULL and child.content[0] != 0:
                out.append(PyUnicode_DecodeUTF8(<const char*>child.content,
                                                strlen(<const char*>child.content), NULL))
        elif child.type == tree.XML_ELEMENT_NODE or child.type == tree.XML_ENTITY_REF_NODE:
            _gather_text(child, out)
        child = child.next


cdef str _attribute_value(tree.xmlAttr* attr):
    """An attribute's value as lxml gives it: its text children joined, '' when it has none
    (a bare `hidden`)."""
    cdef list parts = []
    cdef tree.xmlNode* child = attr.children
    while child is not NULL:
        if child.content is not NULL:
            parts.append(PyUnicode_DecodeUTF8(<const char*>child.content,
                                              strlen(<const char*>child.content), NULL))
        child = child.next
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else "".join(parts)


cdef class DomWalk:
    """The dump lines of a parsed page (htmldom.dom_dump's walk). Each line comes as a tuple
    (text, blank line before it, link characters, context bits, heading level, paragraph,
    depth, Markdown block, table cells); the page's tag counts go to `census` and each
    <pre>'s own text to `code` under its block's group, as the Python walk did.

    What the walk knows comes from htmldom.py: `tag_role(tag)` gives a tag's (TAG_* flags,
    context bits, heading level); `name_bits` (a dict) and `name_bits_of(value)` what a
    class, id or role value says; `hidden_style(style)` whether a style hides its element;
    `block_of(tag, outer, group)` the Markdown block of a structure tag; `link_bit` the
    context bit of link text; `spaces` the regex of the runs of space a line's parts are
    joined across; `text_block` the block of plain text."""

    cdef object tag_role, name_bits, name_bits_of, hidden_style, block_of, text_block, spaces
    cdef long link_bit
    # the walk's state
    cdef long* ctx_bits
    cdef int* ctx_heading
    cdef Py_ssize_t ctx_len, ctx_cap
    cdef list block_stack
    cdef list parts, cell_starts, out
    cdef bint has_text, paragraph, pending_blank
    cdef long link_chars, context
    cdef int heading
    cdef Py_ssize_t depth
    cdef object block

    def __init__(self, tag_role, dict name_bits, name_bits_of, hidden_style, block_of,
                 text_block, long link_bit, spaces):
        self.tag_role = tag_role
        self.name_bits = name_bits
        self.name_bits_of = name_bits_of
        self.hidden_style = hidden_style
        self.block_of = block_of
        self.text_block = text_block
        self.link_bit = link_bit
        self.spaces = spaces

    def __dealloc__(self):
        free(self.ctx_bits)
        free(self.ctx_heading)

    cdef int _push(self, long bits, int heading) except -1:
        cdef long* more_bits
        cdef int* more_heading
        if self.ctx_len == self.ctx_cap:
            self.ctx_cap = self.ctx_cap * 2 if self.ctx_cap else 64
            more_bits = <long*>realloc(self.ctx_bits, self.ctx_cap * sizeof(long))
            if more_bits is NULL:
                raise MemoryError()
            self.ctx_bits = more_bits
            more_heading = <int*>realloc(self.ctx_heading, self.ctx_cap * sizeof(int))
            if more_heading is NULL:
                raise MemoryError()
            self.ctx_heading = more_heading
        self.ctx_bits[self.ctx_len] = bits
        self.ctx_heading[self.ctx_len] = heading
        self.ctx_len += 1
        return 0

    cdef void _new_line(self):
        self.parts = []
        self.cell_starts = []
        self.has_text = False
        self.paragraph = False
        self.link_chars = 0
        self.context = 0
        self.heading = 0
        self.depth = 0
        self.block = self.text_block

    cdef int _flush(self, bint blank_after) except -1:
        cdef str text
        cdef tuple cells = ()
        cdef list bounds
        cdef Py_ssize_t k
        if self.parts:
            text = self.spaces(" ", "".join(self.parts)).strip()
            if text:
                if self.cell_starts:
                    bounds = [0] + self.cell_starts + [len(self.parts)]
                    cells = tuple([
                        self.spaces(" ", "".join(self.parts[bounds[k]:bounds[k + 1]])).strip()
                        for k in range(len(bounds) - 1)])
                self.out.append((text, self.pending_blank, self.link_chars, self.context,
                                 self.heading, self.paragraph, self.depth, self.block, cells))
                self.pending_blank = False
        self._new_line()
        if blank_after:
            self.pending_blank = True
        return 0

    cdef int _add(self, object text, bint link) except -1:
        if not text:
            return 0
        if not self.has_text:
            self.context = self.ctx_bits[self.ctx_len - 1]
            self.heading = self.ctx_heading[self.ctx_len - 1]
            self.depth = self.ctx_len
            self.block = self.block_stack[len(self.block_stack) - 1]
            self.has_text = not (<str>text).isspace()
        self.parts.append(text)
        if link:
            self.link_chars += len((<str>text).strip())
        return 0

    cdef long _attribute_bits(self, tree.xmlNode* node) except -2:
        """htmldom._attribute_bits: what class, id and role say, -1 for a hidden element."""
        cdef long bits = 0
        cdef tree.xmlAttr* attr = node.properties
        cdef const char* name
        cdef str value
        while attr is not NULL:
            if attr.type == tree.XML_ATTRIBUTE_NODE and attr.ns is NULL:
                name = <const char*>attr.name
                if strcmp(name, "class") == 0 or strcmp(name, "id") == 0 \
                        or strcmp(name, "role") == 0:
                    value = _attribute_value(attr)
                    if value:
                        found = self.name_bits.get(value)
                        if found is None:
                            found = self.name_bits_of(value)
                        bits |= <long>found
                elif strcmp(name, "hidden") == 0:
                    return -1
                elif strcmp(name, "aria-hidden") == 0:
                    if _attribute_value(attr) == "true":
                        return -1
                elif strcmp(name, "style") == 0:
                    value = _attribute_value(attr)
                    if value and self.hidden_style(value):
                        return -1
            attr = attr.next
        return bits

    cdef str _tag(self, tree.xmlNode* node):
        """lxml's tag of an element, lower case ('' for a comment, an instruction or an
        entity, whose tags are no strings)."""
        if node.type != tree.XML_ELEMENT_NODE:
            return ""
        name = PyUnicode_DecodeUTF8(<const char*>node.name, strlen(<const char*>node.name),
                                    NULL)
        if node.ns is not NULL and node.ns.href is not NULL:
            name = "{" + PyUnicode_DecodeUTF8(<const char*>node.ns.href,
                                              strlen(<const char*>node.ns.href), NULL) \
                + "}" + name
        return name.lower()

    cdef tuple _role(self, tree.xmlNode* node, dict roles):
        """(tag, flags, context bits, heading level) of a walked node, remembered by the
        name's pointer (libxml2 keeps one copy of each name a document uses); a comment's,
        an instruction's and an entity's under 0; a namespaced element's not at all."""
        cdef object key = None
        if node.type != tree.XML_ELEMENT_NODE:
            key = 0
        elif node.ns is NULL:
            key = <size_t>node.name
        cdef tuple role = roles.get(key) if key is not None else None
        if role is None:
            tag = self._tag(node)
            role = (tag,) + tuple(self.tag_role(tag))
            if key is not None:
                roles[key] = role
        return role

    def lines(self, root, dict census, dict code):
        """The page's lines under `root` (an lxml element), as the class says."""
        from lxml import etree

        if not isinstance(root, etree._Element):
            raise TypeError(f"an lxml element is needed, not {type(root).__name__}")
        cdef tree.xmlNode* top = <tree.xmlNode*>(<cleaner_lxml_element*><PyObject*>root)._c_node
        cdef tree.xmlNode* node = top
        cdef tree.xmlNode* child
        cdef tree.xmlNode* sibling
        cdef dict roles = {}  # a tag's name pointer (the document's dictionary) -> role
        cdef dict skipped_names = {}
        cdef set skipped = set()
        cdef long flags, bits, own
        cdef int heading, groups = 0
        cdef bint descend
        cdef str tag
        cdef tuple role
        self.out = []
        self.ctx_len = 0
        self._push(0, 0)
        self.block_stack = [self.text_block]
        self.pending_blank = False
        self._new_line()
        while True:
            # start
            role = self._role(node, roles)
            tag = role[0]
            flags = role[1]
            if tag:  # the tags of elements: a comment is none
                census[tag] = census.get(tag, 0) + 1
            descend = False
            if not tag or flags & TAG_SKIP:
                own = -1
            else:
                own = self._attribute_bits(node)
            if own == -1:
                skipped.add(<size_t>node)
            else:
                bits = self.ctx_bits[self.ctx_len - 1] | <long>role[2] | own
                heading = role[3] if role[3] else self.ctx_heading[self.ctx_len - 1]
                self._push(bits, heading)
                block = self.block_stack[len(self.block_stack) - 1]
                if flags & TAG_STRUCTURE:
                    groups += 1
                    block = self.block_of(tag, block, groups)
                    if flags & TAG_PRE:
                        pieces = []
                        _gather_text(node, pieces)
                        code[groups] = "".join(pieces)
                self.block_stack.append(block)
                if flags & (TAG_BLOCK | TAG_BREAK):
                    self._flush(flags & TAG_SPACED)
                    if flags & TAG_SPACED:
                        self.pending_blank = True
                if flags & TAG_CELL and self.has_text:
                    self.parts.append("\t")
                    self.cell_starts.append(len(self.parts))
                if flags & TAG_PARAGRAPH:
                    self.paragraph = True
                self._add(_text_from(node.children), bits & self.link_bit)
                descend = True
            if descend:
                child = _next_walked(node.children)
                if child is not NULL:
                    node = child
                    continue
            # end events, up the tree until a node has a next sibling
            while True:
                self._end(node, skipped, roles)
                if node == top:
                    self._flush(False)
                    return self.out
                sibling = _next_walked(node.next)
                if sibling is not NULL:
                    node = sibling
                    break
                node = node.parent

    cdef int _end(self, tree.xmlNode* node, set skipped, dict roles) except -1:
        cdef long flags
        if <size_t>node in skipped:
            skipped.discard(<size_t>node)
        else:
            flags = self._role(node, roles)[1]
            if flags & TAG_BLOCK:
                if flags & TAG_PARAGRAPH:
                    self.paragraph = True
                self._flush(flags & TAG_SPACED)
            self.ctx_len -= 1
            self.block_stack.pop()
        self._add(_text_from(node.next), self.ctx_bits[self.ctx_len - 1] & self.link_bit)
        return 0


# The extraction's share of each dump line (htmldom.extract_shares).

cdef struct _Words:
    _Hash* hashes
    Py_ssize_t n
    Py_ssize_t cap


cdef int _read_words(str text, _Words* words) except -1:
    """The fingerprint of each run of word characters (`\\w+`) of `text`, appended."""
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t i = 0, n = len(text)
    cdef _Hash* more
    cdef Py_UCS4 c
    while i < n:
        c = PyUnicode_READ(kind, data, i)
        if not is_word(c):
            i += 1
            continue
        if words.n == words.cap:
            words.cap = words.cap * 2 if words.cap else 256
            more = <_Hash*>realloc(words.hashes, words.cap * sizeof(_Hash))
            if more is NULL:
                raise MemoryError()
            words.hashes = more
        _start(&words.hashes[words.n])
        while i < n:
            c = PyUnicode_READ(kind, data, i)
            if not is_word(c):
                break
            _feed(&words.hashes[words.n], c)
            i += 1
        words.n += 1
    return 0


cdef inline void _sequence_key(_Hash* key, const _Hash* words, Py_ssize_t count) noexcept:
    """A fingerprint of `count` words in their order (a distinct start for each count)."""
    cdef Py_ssize_t k
    key.a = _mix(FNV_OFFSET ^ <uint64_t>count)
    key.b = _mix_alt(ALT_OFFSET ^ <uint64_t>count)
    for k in range(count):
        key.a = _mix(key.a ^ words[k].a)
        key.b = _mix_alt(key.b ^ words[k].b)


cdef inline void _claim(_Fingerprints table, _Hash* key) noexcept:
    cdef _Slot* slot = table._slot(key)
    if slot.hash == 0:
        slot.hash = _mix(key.a) or 1
        slot.check = _mix_alt(key.b)
        table.size += 1


def extract_shares(list folded_lines, str folded_extraction):
    """For each line (casefolded), the share of its word trigrams that the extraction
    (casefolded) holds; for a line of one or two words, whether the extraction has a line of
    just those words. Words are `\\w+` runs, trigrams run across the extraction's line
    breaks, and a share is the count over the line's trigrams in a double, stored as a
    float32: what the Python of tuples and sets gave (tests/reference_dom.py)."""
    cdef _Words words
    cdef _Hash key
    cdef Py_ssize_t i, k, count
    cdef _Fingerprints trigrams = _Fingerprints()
    cdef _Fingerprints whole = _Fingerprints()
    cdef list extraction_lines = folded_extraction.splitlines()
    out = np.zeros(len(folded_lines), dtype=np.float32)
    cdef float[::1] shares = out
    words.hashes = NULL
    words.n = words.cap = 0
    try:
        _read_words(folded_extraction, &words)
        trigrams._allocate(words.n)
        for i in range(words.n - 2):
            _sequence_key(&key, &words.hashes[i], 3)
            _claim(trigrams, &key)
        whole._allocate(len(extraction_lines))
        for line in extraction_lines:
            words.n = 0
            _read_words(<str>line, &words)
            if 1 <= words.n <= 2:
                _sequence_key(&key, words.hashes, words.n)
                _claim(whole, &key)
        for i in range(len(folded_lines)):
            words.n = 0
            _read_words(<str>folded_lines[i], &words)
            if words.n >= 3:
                count = 0
                for k in range(words.n - 2):
                    _sequence_key(&key, &words.hashes[k], 3)
                    if trigrams._find(&key) != NULL:
                        count += 1
                shares[i] = <float>(<double>count / <double>(words.n - 2))
            elif words.n:
                _sequence_key(&key, words.hashes, words.n)
                shares[i] = 1.0 if whole._find(&key) != NULL else 0.0
    finally:
        free(words.hashes)
    return out
