"""Reads the TwiML documents the product answers with, strictly: a document that
is not well-formed XML, or not a <Response>, is an error the call records."""
import xml.etree.ElementTree as ElementTree


class TwiMLError(Exception):
    pass


def parse(text):
    """Returns the list of verbs: (name, attributes, text, children)."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise TwiMLError(f"not well-formed XML: {error}") from error
    if root.tag != "Response":
        raise TwiMLError(f"root element is <{root.tag}>, not <Response>")
    return [_verb(element) for element in root]


def _verb(element):
    return {
        "verb": element.tag,
        "attributes": dict(element.attrib),
        "text": (element.text or "").strip(),
        "children": [_verb(child) for child in element],
    }
