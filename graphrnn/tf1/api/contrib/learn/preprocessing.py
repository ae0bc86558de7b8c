"""TF 1.15's `tf.contrib.learn.preprocessing`, for graphrnn-tf1: the vocabulary tool of
every TF1 text classifier. No TensorFlow here.

    processor = VocabularyProcessor(max_document_length=20, min_frequency=1)
    ids = np.array(list(processor.fit_transform(texts)))  # (documents, 20) int64
    processor.save("vocab")                                # a pickle
    processor = VocabularyProcessor.restore("vocab")       # TF 1.x's files load too

TF1's rules, kept: id 0 is "<UNK>" and padding alike; `min_frequency` keeps the words
seen *more* than that many times; after trimming, ids follow frequency, ties
alphabetically; `fit` freezes the vocabulary. A file TF 1.x saved names TF1's module
paths (tensorflow.contrib.learn.python.learn.preprocessing...): `restore` reads those as
these classes. A file saved here loads with graphrnn, not with TF 1.x.
"""

import collections
import io
import itertools
import pickle
import re

import numpy as np

TOKENIZER_RE = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z][a-z]+(?=[A-Z])|[\'\w\-]+", re.UNICODE)
TF1_MODULES = ("tensorflow.contrib.learn.python.learn.preprocessing.text",
               "tensorflow.contrib.learn.python.learn.preprocessing.categorical_vocabulary",
               "tensorflow.contrib.learn.python.learn.preprocessing",
               "graphrnn.tf1.preprocessing")  # where graphrnn-tf1 0.1 before 2026-12 kept them


def tokenizer(iterator):
    """tf.contrib.learn.preprocessing.tokenizer: each string's words, TF1's regex."""
    for value in iterator:
        yield TOKENIZER_RE.findall(value)


class CategoricalVocabulary:
    """tf.contrib.learn.preprocessing.CategoricalVocabulary: categories to ids, 0 for
    the unknown token; new categories get the next id until frozen."""

    def __init__(self, unknown_token="<UNK>", support_reverse=True):
        self._unknown_token = unknown_token
        self._mapping = {unknown_token: 0}
        self._support_reverse = support_reverse
        if support_reverse:
            self._reverse_mapping = [unknown_token]
        self._freq = collections.defaultdict(int)
        self._freeze = False

    def __len__(self):
        return len(self._mapping)

    def freeze(self, freeze=True):
        self._freeze = freeze

    def get(self, category):
        """The category's id; a new one is added unless frozen (then 0)."""
        if category not in self._mapping:
            if self._freeze:
                return 0
            self._mapping[category] = len(self._mapping)
            if self._support_reverse:
                self._reverse_mapping.append(category)
        return self._mapping[category]

    def add(self, category, count=1):
        if self.get(category) > 0:
            self._freq[category] += count

    def trim(self, min_frequency, max_frequency=-1):
        """Keep the categories seen more than min_frequency times (and fewer than
        max_frequency, if > 0), renumbered 1.. by frequency, ties alphabetically."""
        by_name = sorted(self._freq.items(), key=lambda x: (isinstance(x[0], str), x[0]))
        self._freq = sorted(by_name, key=lambda x: x[1], reverse=True)
        self._mapping = {self._unknown_token: 0}
        if self._support_reverse:
            self._reverse_mapping = [self._unknown_token]
        idx = 1
        for category, count in self._freq:
            if max_frequency > 0 and count >= max_frequency:
                continue
            if count <= min_frequency:
                break
            self._mapping[category] = idx
            idx += 1
            if self._support_reverse:
                self._reverse_mapping.append(category)
        self._freq = dict(self._freq[:idx - 1])

    def reverse(self, class_id):
        if not self._support_reverse:
            raise ValueError("This vocabulary wasn't initalized with support_reverse to "
                             "support reverse() function.")
        return self._reverse_mapping[class_id]


class VocabularyProcessor:
    """tf.contrib.learn.preprocessing.VocabularyProcessor: documents to fixed-length rows
    of word ids (int64, cut or zero-padded to max_document_length)."""

    def __init__(self, max_document_length, min_frequency=0, vocabulary=None,
                 tokenizer_fn=None):
        self.max_document_length = max_document_length
        self.min_frequency = min_frequency
        self.vocabulary_ = vocabulary if vocabulary else CategoricalVocabulary()
        self._tokenizer = tokenizer_fn if tokenizer_fn else tokenizer

    def fit(self, raw_documents, unused_y=None):
        """Count every token, trim by min_frequency, freeze. Returns self."""
        for tokens in self._tokenizer(raw_documents):
            for token in tokens:
                self.vocabulary_.add(token)
        if self.min_frequency > 0:
            self.vocabulary_.trim(self.min_frequency)
        self.vocabulary_.freeze()
        return self

    def fit_transform(self, raw_documents, unused_y=None):
        self.fit(raw_documents)
        return self.transform(raw_documents)

    def transform(self, raw_documents):
        """Yields one [max_document_length] int64 row of ids per document."""
        for tokens in self._tokenizer(raw_documents):
            word_ids = np.zeros(self.max_document_length, np.int64)
            for idx, token in enumerate(itertools.islice(tokens, self.max_document_length)):
                word_ids[idx] = self.vocabulary_.get(token)
            yield word_ids

    def reverse(self, documents):
        """Yields each row of ids as words joined by spaces (0 as "<UNK>")."""
        for item in documents:
            yield " ".join(self.vocabulary_.reverse(class_id) for class_id in item)

    def save(self, filename):
        with open(filename, "wb") as f:
            f.write(pickle.dumps(self))

    @classmethod
    def restore(cls, filename):
        """A processor saved by save(), here or by TF 1.x (Python 2 or 3)."""
        with open(filename, "rb") as f:
            return _TF1Unpickler(io.BytesIO(f.read()), encoding="utf-8").load()


class _TF1Unpickler(pickle.Unpickler):
    """Reads TF1's preprocessing classes and tokenizer as this module's."""

    def find_class(self, module, name):
        if module in TF1_MODULES and name in ("VocabularyProcessor",
                                              "CategoricalVocabulary", "tokenizer"):
            return globals()[name]
        return super().find_class(module, name)


PREPROCESSING = {"VocabularyProcessor": VocabularyProcessor,
                 "CategoricalVocabulary": CategoricalVocabulary, "tokenizer": tokenizer}
