#!/usr/bin/env python3
"""Times Python parsers of DMAPI answers on a payload file: parse only, best of N runs.

Prints one line per implementation: `name<TAB>MB/s`.

- docs-sample: the response parser of the DMAPI docs' Python example (DmapiResponse,
  `resultListWithNames`), ported to Python 3 unchanged otherwise.
- dns-lexicon: dns-lexicon's Joker provider (`_process_response`), plus the per-row
  `split(" ")` its callers do.
"""
import sys
import time


# --- The DMAPI docs' Python sample ("Login and list your domains"), Python 3 ---------------
class DmapiResponse:
    def __init__(self, responseBody):
        parts = responseBody.split("\n\n", 1)
        if len(parts) > 0:
            self.header = self.__parseKeyValueList(parts[0])
        if len(parts) > 1:
            self.body = parts[1]

    def __parseKeyValueList(self, text):
        lines = text.split("\n")
        keyValueList = {}
        for line in lines:
            keyValue = line.split(' ', 1)
            key = keyValue[0].rstrip(':')
            value = keyValue[1]
            keyValueList[key] = value
        return keyValueList

    def __getSeparator(self):
        if 'Separator' in self.header and self.header['Separator'] == 'TAB':
            return "\t"
        else:
            return " "

    def resultList(self):
        lines = self.body.split("\n")
        resultList = []
        separator = self.__getSeparator()
        for line in lines:
            resultList.append(line.split(separator))
        return resultList

    def resultListWithNames(self):
        columnNames = self.resultListColumns()
        resultList = []
        if len(columnNames) > 0:
            rawList = self.resultList()
            for row in rawList:
                columns = {}
                for idx, column in enumerate(row):
                    if idx < len(columnNames):
                        columns[columnNames[idx]] = column
                resultList.append(columns)
        return resultList

    def resultListColumns(self):
        if 'Columns' in self.header:
            return self.header['Columns'].split(',')
        return []


def docs_sample(text):
    return len(DmapiResponse(text).resultListWithNames())


# --- dns-lexicon's Joker provider ------------------------------------------------------------
class _FakeResponse:
    def __init__(self, text):
        self.text = text
        self.url = "file"

    def raise_for_status(self):
        pass


def lexicon(text):
    from lexicon._private.providers.joker import _process_response

    processed = _process_response(_FakeResponse(text))
    return len([line.split(" ") for line in processed.data if line])


def best(fn, text, runs):
    t = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn(text)
        t = min(t, time.perf_counter() - start)
    return len(text.encode()) / t / 1e6


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with open(path, encoding="utf-8") as f:
        text = f.read()
    print(f"docs-sample (Python)\t{best(docs_sample, text, runs):.1f}")
    try:
        print(f"dns-lexicon joker (Python)\t{best(lexicon, text, runs):.1f}")
    except ImportError as e:
        print(f"dns-lexicon joker (Python)\tnot installed: {e}", file=sys.stderr)


if __name__ == "__main__":
    main()
