// Inputs for test/unit/xml-text.test.ts and the differential check against xmllint (xml-text-xmllint.test.ts).

// XML well-formedness that XMPP's XML shares (issue 12 item 8): XML's whitespace is four ASCII
// characters; names are QNames over NameStartChar/NameChar; prefixes are bound, and XML 1.0 has no
// undeclaring of one. Prefixed elements stay legal: the translator resolves them (xml-ns.ts).
export const NOT_WELL_FORMED: readonly (readonly [string, string])[] = [
  ['no-break space in an end tag', '<a></a\u00a0>'],
  ['no-break space before an attribute\'s =', '<a b\u00a0="1"/>'],
  ['line separator between attributes', '<a b="1"\u2028c="2"/>'],
  ['empty local name', '<a:/>'],
  ['empty prefix', '<:a/>'],
  ['two colons', '<a:b:c/>'],
  ['an attribute with an empty local name', '<a xmlns:p="urn:u" p:="1"/>'],
  ['an unbound element prefix', '<p:a/>'],
  ['an unbound attribute prefix', '<a p:x="1"/>'],
  ['a prefix bound on a sibling only', '<r><a xmlns:p="urn:u"/><p:b/></r>'],
  ['a known element name, its prefix no longer in scope', '<r><p:a xmlns:p="urn:u"/><p:a/></r>'],
  ['a known attribute name, its prefix no longer in scope', '<r><a xmlns:p="urn:u" p:x="1"/><a p:x="1"/></r>'],
  ['undeclaring a prefix (XML 1.1 only)', '<a xmlns:p=""/>'],
  ['the same attribute through two prefixes of one namespace', `<a xmlns:p='urn:u' xmlns:q='urn:u' p:x='1' q:x='2'/>`],
  ['declaring xmlns', '<a xmlns:xmlns="urn:u"/>'],
  ['an element prefixed xmlns', '<xmlns:a/>'],
  ['xml bound elsewhere', '<a xmlns:xml="urn:u"/>'],
  ['the xml namespace under another prefix', '<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>'],
  ['the xmlns namespace as the default', '<a xmlns="http://www.w3.org/2000/xmlns/"/>'],
  ['a name starting with a digit', '<1a/>'],
  ['a name starting with a hyphen', '<-a/>'],
  ['a name starting with a combining mark', '<\u0300a/>'],
  ['U+00D7 in a name', '<a\u00d7/>'],
  ['U+037E in a name', '<a\u037e/>'],
  ['an XML declaration without a version', '<?xml?><a/>'],
  ['an XML declaration after whitespace', ' <?xml version="1.0"?><a/>'],
];

export const WELL_FORMED: readonly string[] = [
  '<p:a xmlns:p="urn:u"/>',
  '<r xmlns:p="urn:u"><p:b p:x="1"/><p:b/></r>',
  `<a xmlns:p='urn:u' xmlns:q='urn:v' p:x='1' q:x='2' x='3'/>`,
  '<a xml:lang="en"/>',
  '<a xmlns:xml="http://www.w3.org/XML/1998/namespace"/>',
  '<a xmlns=""/>',
  '<é a·b="1"/>',
  '<a\u0300/>',
  '<\u{10000}/>',
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a/>',
];
