"""The sandbox's allowlist: the exact root-context function set and the public API.

If a yaql upgrade or a new registration changes what package code can call,
these tests fail: review the new functions for side doors, then update the sets.
"""

from __future__ import annotations

import fornace.dsl
from fornace.dsl.executor import _shared_root
from fornace.dsl.yaql_context import root_function_names

LEGACY_ROOT = {
    '#finalize', '#get_context_data', '#indexer', '#list', '#map', '#operator_!~',
    '#operator_*', '#operator_+', '#operator_-', '#operator_->', '#operator_.', '#operator_/',
    '#operator_<', '#operator_<=', '#operator_=>', '#operator_=~', '#operator_>',
    '#operator_>=', '#operator_?.', '#operator_and', '#operator_in', '#operator_is',
    '#operator_mod', '#operator_or', '#property#date', '#property#day', '#property#days',
    '#property#hour', '#property#hours', '#property#microsecond', '#property#microseconds',
    '#property#milliseconds', '#property#minute', '#property#minutes', '#property#month',
    '#property#offset', '#property#second', '#property#seconds', '#property#time',
    '#property#timestamp', '#property#utc', '#property#weekday', '#property#year',
    '#unary_operator_+', '#unary_operator_-', '#unary_operator_not', '*equal', '*not_equal',
    'abs', 'accumulate', 'add', 'aggregate', 'all', 'any', 'append', 'as', 'assert',
    'base64decode', 'base64encode', 'bind', 'bitwiseAnd', 'bitwiseNot', 'bitwiseOr',
    'bitwiseXor', 'bool', 'call', 'cast', 'characters', 'coalesce', 'concat', 'contains',
    'containsKey', 'containsValue', 'count', 'cycle', 'datetime', 'def', 'defaultIfEmpty',
    'delete', 'deleteAll', 'dict', 'difference', 'distinct', 'dump', 'endsWith', 'enumerate',
    'escapeRegex', 'examine', 'filter', 'find', 'first', 'firstOrDefault', 'flatten', 'float',
    'format', 'generate', 'generateMany', 'get', 'groupBy', 'hex', 'id', 'indexOf',
    'indexWhere', 'insert', 'insertMany', 'int', 'intersect', 'isBoolean', 'isDatetime',
    'isDict', 'isEmpty', 'isInteger', 'isIterable', 'isList', 'isNumber', 'isObject',
    'isRegex', 'isSet', 'isString', 'isTimespan', 'items', 'join', 'keys', 'last',
    'lastIndexOf', 'lastIndexWhere', 'len', 'let', 'limit', 'list', 'localtz', 'logger',
    'map', 'matches', 'max', 'memorize', 'mergeWith', 'metadata', 'min', 'name', 'new',
    'norm', 'now', 'orderBy', 'orderByDescending', 'patch', 'pow', 'pselect', 'psuper',
    'random', 'randomName', 'range', 'reduce', 'regex', 'remove', 'repeat', 'replace',
    'replaceBy', 'replaceMany', 'require', 'reverse', 'rightSplit', 'round', 'search',
    'searchAll', 'select', 'selectAllCases', 'selectCase', 'selectMany', 'sequence', 'set',
    'shiftBitsLeft', 'shiftBitsRight', 'sign', 'single', 'skip', 'skipWhile', 'sleep',
    'slice', 'sliceWhere', 'split', 'splitAt', 'splitWhere', 'startsWith', 'str', 'substr',
    'substring', 'sum', 'super', 'switch', 'switchCase', 'symmetricDifference', 'take',
    'takeWhile', 'thenBy', 'thenByDescending', 'timespan', 'toCharArray', 'toDict', 'toList',
    'toLower', 'toSet', 'toUpper', 'trim', 'trimLeft', 'trimRight', 'tuple', 'type', 'union',
    'unpack', 'utctz', 'values', 'where', 'with', 'zip', 'zipLongest'
}

STANDARD_ROOT = {
    '#finalize', '#get_context_data', '#indexer', '#list', '#map', '#operator_!~',
    '#operator_*', '#operator_+', '#operator_-', '#operator_->', '#operator_.', '#operator_/',
    '#operator_<', '#operator_<=', '#operator_=~', '#operator_>', '#operator_>=',
    '#operator_?.', '#operator_and', '#operator_in', '#operator_is', '#operator_mod',
    '#operator_or', '#property#date', '#property#day', '#property#days', '#property#hour',
    '#property#hours', '#property#microsecond', '#property#microseconds',
    '#property#milliseconds', '#property#minute', '#property#minutes', '#property#month',
    '#property#offset', '#property#second', '#property#seconds', '#property#time',
    '#property#timestamp', '#property#utc', '#property#weekday', '#property#year',
    '#unary_operator_+', '#unary_operator_-', '#unary_operator_not', '*equal', '*not_equal',
    'abs', 'accumulate', 'add', 'aggregate', 'all', 'any', 'append', 'assert', 'base64decode',
    'base64encode', 'bind', 'bitwiseAnd', 'bitwiseNot', 'bitwiseOr', 'bitwiseXor', 'bool',
    'call', 'cast', 'characters', 'coalesce', 'concat', 'contains', 'containsKey',
    'containsValue', 'count', 'cycle', 'datetime', 'def', 'defaultIfEmpty', 'delete',
    'deleteAll', 'dict', 'difference', 'distinct', 'dump', 'endsWith', 'enumerate',
    'escapeRegex', 'examine', 'filter', 'find', 'first', 'flatten', 'float', 'format',
    'generate', 'generateMany', 'get', 'groupBy', 'hex', 'id', 'indexOf', 'indexWhere',
    'insert', 'insertMany', 'int', 'intersect', 'isBoolean', 'isDatetime', 'isDict',
    'isEmpty', 'isInteger', 'isIterable', 'isList', 'isNumber', 'isObject', 'isRegex',
    'isSet', 'isString', 'isTimespan', 'items', 'join', 'keys', 'last', 'lastIndexOf',
    'lastIndexWhere', 'len', 'let', 'limit', 'list', 'localtz', 'logger', 'map', 'matches',
    'max', 'memorize', 'mergeWith', 'metadata', 'min', 'name', 'new', 'norm', 'now',
    'orderBy', 'orderByDescending', 'patch', 'pow', 'pselect', 'psuper', 'random',
    'randomName', 'range', 'reduce', 'regex', 'remove', 'repeat', 'replace', 'replaceBy',
    'replaceMany', 'require', 'reverse', 'rightSplit', 'round', 'search', 'searchAll',
    'select', 'selectAllCases', 'selectCase', 'selectMany', 'sequence', 'set',
    'shiftBitsLeft', 'shiftBitsRight', 'sign', 'single', 'skip', 'skipWhile', 'sleep',
    'slice', 'sliceWhere', 'split', 'splitAt', 'splitWhere', 'startsWith', 'str', 'substring',
    'sum', 'super', 'switch', 'switchCase', 'symmetricDifference', 'take', 'takeWhile',
    'thenBy', 'thenByDescending', 'timespan', 'toCharArray', 'toDict', 'toList', 'toLower',
    'toSet', 'toUpper', 'trim', 'trimLeft', 'trimRight', 'type', 'union', 'unpack', 'utctz',
    'values', 'where', 'with', 'zip', 'zipLongest'
}

NEVER = {"getattr", "setattr", "eval", "exec", "import", "open", "lambda", "env", "environ",
         "system", "popen", "yaqlize", "callable"}


def test_legacy_root_context_is_pinned():
    assert root_function_names(_shared_root(True)) == LEGACY_ROOT


def test_standard_root_context_is_pinned():
    assert root_function_names(_shared_root(False)) == STANDARD_ROOT


def test_no_dangerous_names():
    assert not (LEGACY_ROOT | STANDARD_ROOT) & NEVER


def test_exported_members():
    assert sorted(fornace.dsl.__all__) == sorted(
        name for name in dir(fornace.dsl)
        if not name.startswith("_") and name in fornace.dsl.__all__)
    for name in fornace.dsl.__all__:
        assert getattr(fornace.dsl, name) is not None
    assert {"Session", "PackageSource", "murano_method", "SystemRegistry", "Limits",
             "class_schema"} <= set(fornace.dsl.__all__)
