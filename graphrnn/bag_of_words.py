"""09_02's baseline, as the ridge is the forecasts': the classifier a practitioner would try
first on short texts. TF-IDF of words and word pairs (scikit-learn's TfidfVectorizer,
sublinear term frequency) -> LogisticRegression, its strength C chosen on the validation
texts. It reads the same cleaned texts and the same split as the networks. No TensorFlow.

Usage::

    model = fit_bag_of_words(train_texts, train_labels, validation_texts, validation_labels)
    predicted = model.predict(test_texts)  # (N,) class numbers
    model.strength, model.validation_accuracy
"""

import dataclasses

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

# C, the inverse of the L2 penalty's strength: 0.1 (strong) .. 100 (almost none)
STRENGTHS = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)


@dataclasses.dataclass(frozen=True)
class BagOfWords:
    """A fitted TF-IDF vectoriser and logistic regression; C and its validation accuracy."""

    vectorizer: TfidfVectorizer
    classifier: LogisticRegression
    strength: float
    validation_accuracy: float

    def predict(self, texts):
        """texts (N,) strings -> (N,) int class numbers."""
        return self.classifier.predict(self.vectorizer.transform(texts)).astype(np.int64)


def fit_bag_of_words(train_texts, train_labels, validation_texts, validation_labels,
                     strengths=STRENGTHS):
    """Fit the vocabulary and IDF weights on the training texts, a logistic regression for
    every C in `strengths`, and keep the one with the best validation accuracy (the
    strongest penalty among equals)."""
    vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2))
    train = vectorizer.fit_transform(train_texts)  # (N, words and pairs), sparse
    validation = vectorizer.transform(validation_texts)
    best = None
    for strength in strengths:
        classifier = LogisticRegression(C=strength, max_iter=2000).fit(train, train_labels)
        accuracy = float(np.mean(classifier.predict(validation) == np.asarray(validation_labels)))
        if best is None or accuracy > best.validation_accuracy:
            best = BagOfWords(vectorizer, classifier, strength, accuracy)
    return best
