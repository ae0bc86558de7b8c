"""09_02's texts: consumer complaints and the product each is about. The US CFPB export
(complaints.csv) or a generated look-alike; the Keras LSTM tutorial's cleaning,
vocabulary, padding, label encoding and split.

No TensorFlow here: this is also the reference the in-graph tokenisation is tested against.

Usage::

    frame = load_complaints()                  # generated, deterministic for a seed
    frame = load_complaints("complaints.csv")  # a real export
    texts = [clean_text(text) for text in frame[TEXT]]
    vocabulary = fit_vocabulary(texts[:n_train])           # {word: 1..MAX_WORDS-1}
    ids = texts_to_ids(texts, vocabulary, TEXT_LENGTH)     # (N, TEXT_LENGTH) int32

Every problem with a file raises DataError (a ValueError) with one sentence.
"""

import collections
import os
import re

import numpy as np
import pandas as pd

from graphrnn.data_common import DataError

TEXT, LABEL = "Consumer complaint narrative", "Product"  # the export's column names
# Chosen on the validation texts of a real export (1,532 narratives) and the generated
# corpus (docs/results.md, "09_02 on a real export"): the 2,999 most frequent words (the tutorial:
# 4,999), and each text's first 150 words (the tutorial padded or cut to 512, keeping the
# last words; a narrative names its product early, and about half are under 130 words).
MAX_WORDS = 3000  # the vocabulary: MAX_WORDS - 1 words, and 0 for padding
TEXT_LENGTH = 150
TEST_FRACTION, SPLIT_SEED, VALIDATION_FRACTION = 0.3, 42, 0.1

# The tutorial's cleaning, in its order.
REPLACE_BY_SPACE = re.compile(r"[/(){}\[\]|@,;]")
BAD_SYMBOLS = re.compile(r"[^0-9a-z #+_]")


def clean_text(text):
    """Lower case; /(){}[]|@,; become spaces; everything but 0-9 a-z space # + _ goes;
    then every `x`, as the tutorial removes the export's XXXX masks (which also takes
    the x out of words such as "tax": the tutorial's cleaning, kept as it was)."""
    text = text.lower()
    text = REPLACE_BY_SPACE.sub(" ", text)
    text = BAD_SYMBOLS.sub("", text)
    return text.replace("x", "")


def fit_vocabulary(texts, max_words=MAX_WORDS):
    """{word: index} of the max_words - 1 most frequent words of the (cleaned) texts,
    numbered from 1 by falling count, ties in order of first appearance (as Keras'
    Tokenizer numbers them); 0 is left for padding."""
    counts = collections.Counter()
    for text in texts:
        counts.update(text.split())
    ranked = sorted(counts, key=lambda word: -counts[word])  # stable: first seen first
    return {word: index for index, word in enumerate(ranked[:max_words - 1], start=1)}


def texts_to_ids(texts, vocabulary, length=TEXT_LENGTH):
    """(N, length) int32: each text's known words as indices, unknown words dropped, cut
    to its first `length` words and padded with zeros in front (Keras' pad_sequences with
    truncating="post")."""
    ids = np.zeros((len(texts), length), np.int32)
    for row, text in enumerate(texts):
        known = [vocabulary[word] for word in text.split() if word in vocabulary][:length]
        if known:
            ids[row, length - len(known):] = known
    return ids


def encode_labels(labels):
    """(class names sorted, int32 index of each label): the tutorial's get_dummies order."""
    classes = sorted(set(labels))
    index = {name: position for position, name in enumerate(classes)}
    return classes, np.array([index[label] for label in labels], np.int32)


def split(count, seed=SPLIT_SEED):
    """(train, validation, test) index arrays: a shuffled 70/30 split drawn from `seed`,
    and the last tenth of the training part for validation (early stopping)."""
    order = np.random.default_rng(seed).permutation(count)
    test = int(round(count * TEST_FRACTION))
    train = order[:count - test]
    validation = max(1, int(round(len(train) * VALIDATION_FRACTION)))
    return train[:-validation], train[-validation:], order[count - test:]


# ---------------------------------------------------------------- the data


# The products, each with its share of the complaints (as uneven as in a real export,
# where about half are about credit reports) and words that point to it.
PRODUCTS = {
    "Credit reporting": (0.45, "report reporting bureau equifax experian transunion dispute "
                               "inaccurate score inquiry identity file"),
    "Debt collection": (0.20, "debt collector collection owe calls harass validation agency "
                              "judgment original creditor"),
    "Mortgage": (0.12, "mortgage escrow servicer foreclosure modification home loan "
                       "refinance property appraisal closing"),
    "Credit card": (0.10, "card charge interest limit statement fee purchase fraud rewards "
                          "apr balance"),
    "Bank account": (0.08, "checking savings deposit overdraft branch withdrawal atm teller "
                           "account transfer"),
    "Student loan": (0.05, "student loan navient servicer forbearance repayment income "
                           "federal school deferment"),
}
SHARED_WORDS = ("i the a to and my of was they that for on have this with not me is it "
                "company called told them would be were been from after we no an by "
                "payment account information received letter phone months time request "
                "never still please help sent paid any again customer service number "
                "several days since date back credit loan balance late fee report").split()
MASKS = ("XXXX", "XX/XX/XXXX", "{$200.00}", "XXXX XXXX")


def generate_complaints(count=1500, seed=0, label_noise=0.08):
    """A deterministic corpus of complaint-like texts, made to resemble a real export:
    six products of very different sizes (PRODUCTS); lengths spread like narratives'
    (median about 120 words, 15 to 400); mostly words every product uses, a few
    (2-8 %) typical of the product, and in half the texts some of another product's
    words too; masks like XXXX and punctuation to clean. `label_noise` of the labels are
    another product's, so that no model can be right every time."""
    rng = np.random.default_rng(seed)
    products = list(PRODUCTS)
    shares = np.array([share for share, _ in PRODUCTS.values()])
    topical = {name: words.split() for name, (_, words) in PRODUCTS.items()}
    rows = []
    for _ in range(count):
        product = products[rng.choice(len(products), p=shares)]
        length = int(np.clip(rng.lognormal(np.log(120), 0.6), 15, 400))
        words = list(rng.choice(SHARED_WORDS, size=length))
        own = max(1, int(length * rng.uniform(0.02, 0.08)))
        for position in rng.choice(length, size=own, replace=False):
            words[position] = rng.choice(topical[product])
        if rng.random() < 0.5:  # a complaint that mentions another product too
            other = products[rng.integers(len(products))]
            for position in rng.choice(length, size=int(rng.integers(1, 7)), replace=False):
                words[position] = rng.choice(topical[other])
        for position in rng.choice(length, size=int(rng.integers(0, 4)), replace=False):
            words[position] = rng.choice(MASKS)
        text = " ".join(words)
        text = text[0].upper() + text[1:] + "."  # (str.capitalize would lower the XXXX)
        label = products[rng.integers(len(products))] if rng.random() < label_noise else product
        rows.append((label, text))
    return pd.DataFrame(rows, columns=[LABEL, TEXT])


def load_complaints(path=None, seed=0):
    """The rows with a narrative, as a frame of LABEL and TEXT: generated, or read from a
    CFPB export (any other columns are ignored)."""
    if path is None:
        return generate_complaints(seed=seed)
    if not os.path.isfile(path):
        raise DataError(f"no such data file: {path}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        raise DataError(f"{path} is not a readable CSV file") from None
    missing = [column for column in (LABEL, TEXT) if column not in frame.columns]
    if missing:
        raise DataError(f"{path} has no {' or '.join(repr(c) for c in missing)} column; a "
                        f"CFPB export has both {LABEL!r} and {TEXT!r}")
    frame = frame.loc[frame[TEXT].str.strip() != "", [LABEL, TEXT]]  # the tutorial drops these
    if frame.empty:
        raise DataError(f"{path} has no row with a {TEXT!r}")
    if not any(clean_text(text).split() for text in frame[TEXT]):
        raise DataError(f"{path}: every {TEXT!r} is empty after cleaning")
    if frame[LABEL].nunique() < 2:
        raise DataError(f"{path}: every complaint is about one product "
                        f"({frame[LABEL].iloc[0]!r}); a classifier needs at least two")
    return frame.reset_index(drop=True)
