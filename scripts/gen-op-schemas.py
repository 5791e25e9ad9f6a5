#!/usr/bin/python3
"""Dump the official ONNX operator schemas into src/core/onnx/schemas/op-schemas.json.

Run with Debian's python3-onnx (`/usr/bin/python3 scripts/gen-op-schemas.py`): the `python3`
first on PATH here is a pyenv without onnx. The output is committed so that the extension
never needs Python; re-run this after upgrading onnx and commit both.

Every (domain, op_type, since_version) of `onnx.defs.get_all_schemas_with_history()` becomes
one entry. The installed onnx version and its highest opset per domain are recorded so the
TypeScript side can say when a model asks for a newer opset than the schemas know.
"""
import json
import os
import re
import sys

import onnx
import onnx.defs
import onnx.helper

# Docs are for hovers and detail panels, not a manual: the first paragraphs are what people read.
DOC_MAX = 1500
DESC_MAX = 300

ATTR_TYPE_NAMES = {
    0: 'undefined', 1: 'float', 2: 'int', 3: 'string', 4: 'tensor', 5: 'graph',
    6: 'floats', 7: 'ints', 8: 'strings', 9: 'tensors', 10: 'graphs',
    11: 'sparse_tensor', 12: 'sparse_tensors', 13: 'type_proto', 14: 'type_protos',
}
OPTION_NAMES = {0: 'single', 1: 'optional', 2: 'variadic'}
SUPPORT_NAMES = {0: 'common', 1: 'experimental'}
# onnx reports "unbounded" arity as INT_MAX; JSON consumers get null instead.
INT_MAX = 2 ** 31 - 1


def clean(text, limit):
    """Collapse whitespace; keep whole leading paragraphs up to `limit` characters."""
    if not text:
        return ''
    text = text.strip()
    paragraphs = [re.sub(r'[ \t]+', ' ', p.strip()) for p in re.split(r'\n\s*\n', text)]
    out = ''
    for p in paragraphs:
        if not p:
            continue
        candidate = p if not out else out + '\n\n' + p
        if len(candidate) > limit:
            if not out:
                out = p[: limit - 1].rstrip() + '…'
            break
        out = candidate
    return out


def simple_default(attr):
    """The default as JSON when it is a scalar or a list of scalars; tensors/graphs are omitted."""
    proto = attr.default_value
    if proto is None or not proto.name and proto.type == 0:
        return None
    if proto.type in (4, 5, 9, 10, 11, 12, 13, 14):
        return None
    try:
        value = onnx.helper.get_attribute_value(proto)
    except Exception:  # an attribute without a default has an empty proto
        return None
    if isinstance(value, (list, tuple)):
        return [scalar(v) for v in value]
    return scalar(value)


def scalar(v):
    if isinstance(v, bytes):
        return v.decode('utf-8', 'replace')
    if isinstance(v, float):
        # Float attributes are float32 in the proto; print 1e-05, not 9.999999747378752e-06.
        return float('%.7g' % v)
    return v


def has_default(attr):
    proto = attr.default_value
    return proto is not None and (proto.name != '' or proto.type != 0)


def formal(p):
    return {
        'name': p.name,
        'description': clean(p.description, DESC_MAX),
        'typeStr': p.typeStr,
        'option': OPTION_NAMES.get(int(p.option), str(p.option)),
        'homogeneous': bool(p.isHomogeneous),
    }


def arity(n):
    return None if n >= INT_MAX else n


def schema_entry(s):
    attrs = []
    for name in sorted(s.attributes):
        a = s.attributes[name]
        entry = {
            'name': name,
            'type': ATTR_TYPE_NAMES.get(int(a.type), str(a.type)),
            'required': bool(a.required),
            'description': clean(a.description, DESC_MAX),
        }
        if has_default(a):
            d = simple_default(a)
            if d is not None:
                entry['default'] = d
        attrs.append(entry)
    return {
        'domain': s.domain,
        'name': s.name,
        'sinceVersion': s.since_version,
        'deprecated': bool(s.deprecated),
        'supportLevel': SUPPORT_NAMES.get(int(s.support_level), str(s.support_level)),
        'doc': clean(s.doc, DOC_MAX),
        'minInput': s.min_input,
        'maxInput': arity(s.max_input),
        'minOutput': s.min_output,
        'maxOutput': arity(s.max_output),
        'inputs': [formal(p) for p in s.inputs],
        'outputs': [formal(p) for p in s.outputs],
        'attributes': attrs,
        'typeConstraints': [
            {
                'typeParam': t.type_param_str,
                'allowedTypes': list(t.allowed_type_strs),
                'description': clean(t.description, DESC_MAX),
            }
            for t in s.type_constraints
        ],
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_path = os.path.join(here, '..', 'src', 'core', 'onnx', 'schemas', 'op-schemas.json')
    schemas = sorted(
        onnx.defs.get_all_schemas_with_history(),
        key=lambda s: (s.domain, s.name, s.since_version),
    )
    max_opset = {}
    for s in schemas:
        max_opset[s.domain] = max(max_opset.get(s.domain, 0), s.since_version)
    max_opset[''] = onnx.defs.onnx_opset_version()
    doc = {
        'generator': 'scripts/gen-op-schemas.py',
        'onnxVersion': onnx.__version__,
        'maxOpset': max_opset,
        'schemas': [schema_entry(s) for s in schemas],
    }
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, 'w', encoding='utf-8') as f:
        # One schema per line: diffs stay readable when onnx is upgraded, the file stays compact.
        f.write('{\n')
        for key in ('generator', 'onnxVersion', 'maxOpset'):
            f.write('  %s: %s,\n' % (json.dumps(key), json.dumps(doc[key], sort_keys=True)))
        f.write('  "schemas": [\n')
        for i, s in enumerate(doc['schemas']):
            sep = ',' if i + 1 < len(doc['schemas']) else ''
            f.write('    %s%s\n' % (json.dumps(s, ensure_ascii=False), sep))
        f.write('  ]\n}\n')
    size = os.path.getsize(out_path)
    print('wrote %d schemas (onnx %s) to %s, %d bytes' % (len(schemas), onnx.__version__, out_path, size),
          file=sys.stderr)


if __name__ == '__main__':
    main()
