"""09_02_intent_lstm: which product is a consumer complaint about? An LSTM reads its words.

The Keras LSTM tutorial's intent classifier, twice, from the same initial weights on the
same batches, with one change: the softmax reads the LSTM's outputs pooled over the words
(their maximum), not the last word's output alone.

  Keras (the tutorial's model, as Keras 3)   word ids (B, 150) -> Embedding(vocabulary,
                                             100) -> SpatialDropout1D(0.2) -> LSTM(64,
                                             dropout=0.2, recurrent_dropout=0.2,
                                             return_sequences) -> GlobalMaxPooling1D ->
                                             Dense(products, softmax); Adam; cross-entropy
  graph (TF1 style, tf.compat.v1)            inputs: the raw texts, a string placeholder
                                             tokens: the tutorial's cleaning, splitting and
                                               the vocabulary lookup as graph ops (a lookup
                                               table filled by tables_initializer), padded
                                             embedding: embedding_lookup, dropout with
                                               noise_shape (B, 1, 100)
                                             recurrent_layer: LSTMCell(64) in
                                               DropoutWrapper(input_keep_prob,
                                               state_keep_prob, variational_recurrent)
                                             predictions: reduce_max over the words, dense
                                               `prediction` -> logits

Both stop early when their validation loss has not fallen by 1e-4 for 4 epochs, and then
go back to the weights of their epoch of lowest validation loss. The
built-in data is a generated corpus of complaints about six products (the output says
so); --data complaints.csv takes a real CFPB export. The run prints both sides' accuracy
beside two baselines, the majority class and a bag-of-words model (TF-IDF + logistic
regression, graphrnn.bag_of_words), and a precision / recall / F1 table per product; a
warning says so when neither network beats the majority class by 5 points.

Writes into logs/09_02_intent_lstm/<run-id>/: metrics.json, predictions.csv,
confusion.png, and TensorBoard runs graph/ (the graph, curves, the confusion image),
keras3/, and bag_of_words/ and majority_class/ (their test accuracy).
"""

import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from graphrnn import options  # noqa: E402  (argparse only)

EPOCHS, QUICK_EPOCHS = 20, 1  # at most; early stopping ends most runs after 10-15
OPTIONS = options.lesson("09_02_intent_lstm", __doc__)
OPTIONS.add_argument("--data", metavar="CSV",
                     help="a CFPB complaints.csv (default: generated complaints)")
OPTIONS.add_argument("--epochs", type=int,
                     help=f"at most this many passes (default {EPOCHS}; --quick {QUICK_EPOCHS})")
options.answer_early(__name__, OPTIONS)  # --help and option errors: at once, not after TF loads

import numpy as np  # noqa: E402

from graphrnn import bag_of_words, complaints, graph_holder, keras_twins, layers  # noqa: E402
from graphrnn import report, runs, tags  # noqa: E402
from graphrnn import sidebyside  # noqa: E402  (Keras 3)
from graphrnn.train import EarlyStopping, Validation, batch_count  # noqa: E402
from graphrnn.compat import tf, v1  # noqa: E402
from graphrnn.data_common import DataError  # noqa: E402

# Chosen on validation texts (docs/results.md, "09_02 on a real export"); the tutorial's are in
# brackets.
EMBEDDING_DIM, UNITS = 100, 64  # (100, 100)
SPATIAL_DROPOUT, DROPOUT, RECURRENT_DROPOUT = 0.2, 0.2, 0.2
LEARNING_RATE, BATCH_SIZE = 0.005, 64  # (0.001, 64)
# EarlyStopping(monitor="val_loss", min_delta=1e-4, patience=4 (3),
# restore_best_weights=True (False))
PATIENCE, MIN_DELTA = 4, 1e-4
QUICK_TEXTS = 600  # --quick reads the first 600 complaints (a smoke test: too few to learn)


def tokens(texts, vocabulary):
    """Scope `tokens`: texts (B,) string -> word ids (B, TEXT_LENGTH) int32, as
    graphrnn.complaints cleans, looks up and pads them in Python."""
    with v1.variable_scope("tokens"):
        cleaned = tf.strings.lower(texts, encoding="utf-8")
        cleaned = tf.strings.regex_replace(cleaned, complaints.REPLACE_BY_SPACE.pattern, " ")
        cleaned = tf.strings.regex_replace(cleaned, complaints.BAD_SYMBOLS.pattern, "")
        cleaned = tf.strings.regex_replace(cleaned, "x", "")
        words = tf.strings.split(cleaned)  # (B, None) ragged
        table = v1.lookup.StaticHashTable(v1.lookup.KeyValueTensorInitializer(
            list(vocabulary), list(vocabulary.values()), value_dtype=tf.int32),
            default_value=0, name="vocabulary")  # filled by tables_initializer()
        ids = tf.ragged.map_flat_values(table.lookup, words)
        known = tf.ragged.boolean_mask(ids, ids > 0)[:, :complaints.TEXT_LENGTH]  # first words
        # pad in front (Keras' pad_sequences): row i's word j goes to column
        # TEXT_LENGTH - length_i + j
        length = complaints.TEXT_LENGTH
        dense = known.to_tensor(default_value=0, shape=[None, length])  # padded behind
        shift = length - tf.cast(known.row_lengths(), tf.int32)  # (B,)
        source = tf.range(length)[None, :] - shift[:, None]  # (B, L): where column j reads
        gathered = tf.gather(dense, tf.maximum(source, 0), batch_dims=1)
        return tf.where(source >= 0, gathered, 0, name="word_ids")


def graph(vocabulary, n_classes):
    """The tutorial's model as a TF1 graph (for graph_holder.build_graph, which seeds it)."""
    with v1.variable_scope("inputs"):
        texts = v1.placeholder(tf.string, [None], name="texts")  # the raw narratives
        labels = v1.placeholder(tf.int32, [None], name="labels")
        training = v1.placeholder_with_default(False, shape=None, name="dropout_switch")
        global_step = tf.Variable(0, trainable=False, name="global_step")
    word_ids = tokens(texts, vocabulary)
    with v1.variable_scope("embedding", initializer=layers.seeded_glorot()):
        embedding = v1.get_variable("embedding", [complaints.MAX_WORDS, EMBEDDING_DIM])
        embedded = tf.nn.embedding_lookup(embedding, word_ids)  # (B, L, 100)
        # SpatialDropout1D: one mask per text and channel, shared by every word
        embedded = v1.layers.dropout(embedded, rate=SPATIAL_DROPOUT, training=training,
                                     noise_shape=[tf.shape(embedded)[0], 1, EMBEDDING_DIM])
    with v1.variable_scope("recurrent_layer", initializer=layers.seeded_glorot()):
        on = tf.cast(training, tf.float32)  # the keep probabilities are 1 unless training
        cell = v1.nn.rnn_cell.DropoutWrapper(
            v1.nn.rnn_cell.LSTMCell(UNITS), input_keep_prob=1.0 - DROPOUT * on,
            state_keep_prob=1.0 - RECURRENT_DROPOUT * on, variational_recurrent=True,
            input_size=EMBEDDING_DIM, dtype=tf.float32)  # (the c state is never dropped)
        outputs, _ = v1.nn.dynamic_rnn(cell, embedded, dtype=tf.float32, scope="rnn")
    with v1.variable_scope("predictions", initializer=layers.seeded_glorot()):
        # the largest output of each unit over the text's words (B, 64), not the last
        # word's: from scratch on ~1,000 texts, the last output alone learned nothing
        pooled = tf.reduce_max(outputs, axis=1, name="max_over_time")
        logits = v1.layers.dense(pooled, n_classes, name="prediction")  # (B, classes)
        probabilities = tf.nn.softmax(logits, name="probabilities")
    with v1.name_scope("loss"):
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=labels, logits=logits), name="loss")
    with v1.variable_scope("training"):
        train_op = v1.train.AdamOptimizer(LEARNING_RATE).minimize(loss, global_step=global_step)
    return graph_holder.Tensors(predictors=texts, target=labels, dropout_switch=training,
                                prediction=probabilities, loss=loss, train_op=train_op,
                                global_step=global_step, fetches={"word_ids": word_ids})


def keras_model(weights, n_classes):
    """The tutorial's Keras model holding the graph's weights (graphrnn.keras_twins)."""
    stack = keras_twins.Stack(
        "lstm", [{"units": UNITS}], complaints.TEXT_LENGTH, n_features=EMBEDDING_DIM,
        n_targets=n_classes, head="max_over_time", multi_rnn_cell=False,
        embedding=(complaints.MAX_WORDS, EMBEDDING_DIM), spatial_dropout=SPATIAL_DROPOUT,
        rnn_dropout=(DROPOUT, RECURRENT_DROPOUT), output_activation="softmax")
    return keras_twins.keras_twin(stack, weights, name="keras_intent_lstm")


# the per-product table's columns: {side: title}
SIDE_NAMES = {"graph": "graph", "keras3": "Keras 3", "bag_of_words": "bag of words"}


@dataclasses.dataclass(frozen=True)
class Corpus:
    """A run's complaints: read, split, cleaned and numbered."""

    texts: np.ndarray  # (N,) the raw narratives: what the graph reads
    labels: np.ndarray  # (N,) int32 product numbers
    classes: list  # product names, in label order
    description: str  # where the texts came from
    train: np.ndarray  # row indices of each part
    validation: np.ndarray
    test: np.ndarray
    cleaned: list  # (N,) the tutorial's cleaning of each text
    vocabulary: dict  # {word: id} of the training texts
    ids: np.ndarray  # (N, TEXT_LENGTH) word ids: what Keras reads

    def cleaned_part(self, part):
        return [self.cleaned[i] for i in part]


def load(args):
    """The Corpus of --data or the generated complaints (--quick: the first 600)."""
    try:
        frame = complaints.load_complaints(args.data, seed=args.seed)
    except DataError as error:
        raise runs.BadInput(str(error)) from None
    if args.quick:
        frame = frame.iloc[:QUICK_TEXTS]
    classes, labels = complaints.encode_labels(frame[complaints.LABEL])
    if len(classes) < 2:
        raise runs.BadInput("the complaints read are all about one product; a classifier "
                            "needs at least two")
    description = (args.data if args.data else
                   f"generated complaints (not real ones: {len(frame)} texts about "
                   f"{len(classes)} products, seed {args.seed})")
    texts = np.array(frame[complaints.TEXT], dtype=object)
    train, validation, test = complaints.split(len(texts))
    if len(np.unique(labels[train])) < 2:
        raise runs.BadInput(f"the training part ({len(train)} of the {len(texts)} texts) is "
                            f"about one product; a classifier needs more complaints, about "
                            f"at least two products")
    cleaned = [complaints.clean_text(text) for text in texts]
    vocabulary = complaints.fit_vocabulary([cleaned[i] for i in train])
    return Corpus(texts, labels, classes, description, train, validation, test, cleaned,
                  vocabulary, complaints.texts_to_ids(cleaned, vocabulary))


def train_both_sides(corpus, epochs, seed, run_dir, writers):
    """The graph and its Keras 3 twin from the same weights, trained on the same batches
    with early stopping, each back at its best epoch's weights. Returns a dict: test
    probabilities by side, best_epoch, the Validation (curves), start_gap and whether
    the in-graph word ids equal the Python ones on the test texts."""
    texts, labels, ids = corpus.texts, corpus.labels, corpus.ids
    validation, test = corpus.validation, corpus.test
    net = graph_holder.build_graph("09_02_intent_lstm",
                                   lambda: graph(corpus.vocabulary, len(corpus.classes)), seed)
    both = sidebyside.both_sides(net, lambda w: keras_model(w, len(corpus.classes)), seed,
                                 run_dir)
    with both as (session, model, graph_predict):
        in_graph_ids = session.run(net.fetches["word_ids"], {net.predictors: texts[test]})
        keras_predict = sidebyside.keras_predict(model)
        start_gap = sidebyside.initial_gap(graph_predict, keras_predict, texts[test], ids[test])

        def scores(probabilities):  # (N, classes) of the validation texts
            return {"validation_loss": report.cross_entropy(labels[validation], probabilities),
                    "validation_accuracy": float(np.mean(
                        probabilities.argmax(1) == labels[validation]))}

        # each side goes back to its epoch of lowest validation loss when training ends
        keep_best = {"graph": sidebyside.graph_weights(session, net),
                     "keras3": (model.get_weights, model.set_weights)}
        stopping = {side: EarlyStopping(PATIENCE, MIN_DELTA, keep_best[side])
                    for side in sidebyside.SIDES}
        validating = Validation(  # each epoch: curves, summaries, early stopping
            {"graph": lambda: scores(graph_predict(texts[validation])),
             "keras3": lambda: scores(keras_predict(ids[validation]))},
            writers, epochs, sidebyside.SIDE_LABELS, tags.classifier(),
            batch_count(len(corpus.train), BATCH_SIZE), stopping=stopping,
            monitor="validation_loss")
        sidebyside.train_both(session, net, sidebyside.keras_train_step(
            model, LEARNING_RATE, classes=True), texts[corpus.train], labels[corpus.train],
            epochs, BATCH_SIZE, seed, validating, keras_inputs=ids[corpus.train])
        best_epoch = {side: stopping[side].restore() for side in sidebyside.SIDES}
        print(f"best epochs (lowest validation loss), whose weights are kept: graph "
              f"{best_epoch['graph']}, Keras 3 {best_epoch['keras3']}")
        graph_probabilities = graph_predict(texts[test])
    return {"probabilities": {"graph": graph_probabilities, "keras3": keras_predict(ids[test])},
            "best_epoch": best_epoch, "validating": validating, "start_gap": start_gap,
            "ids_equal": bool(np.array_equal(in_graph_ids, ids[test]))}


def settings(args, epochs, description):
    """The run's settings, for its HParams rows."""
    return {"DATA": description, "TEXT_LENGTH": complaints.TEXT_LENGTH,
            "MAX_WORDS": complaints.MAX_WORDS, "EMBEDDING_DIM": EMBEDDING_DIM, "UNITS": UNITS,
            "LEARNING_RATE": LEARNING_RATE, "BATCH_SIZE": BATCH_SIZE, "EPOCHS": epochs,
            "PATIENCE": PATIENCE, "SEED": args.seed, "QUICK": bool(args.quick)}


def run(args, run_dir):
    epochs = (QUICK_EPOCHS if args.quick else EPOCHS) if args.epochs is None else args.epochs
    runs.positive("--epochs", epochs)
    corpus = load(args)
    classes, train, test = corpus.classes, corpus.train, corpus.test
    print(f"09_02_intent_lstm: {corpus.description}; {len(train)} training, "
          f"{len(corpus.validation)} validation, {len(test)} test texts; "
          f"{len(corpus.vocabulary)} words in the vocabulary; at most {epochs} epochs")
    # the baseline: TF-IDF + logistic regression on the same cleaned texts and split
    bag = bag_of_words.fit_bag_of_words(
        corpus.cleaned_part(train), corpus.labels[train],
        corpus.cleaned_part(corpus.validation), corpus.labels[corpus.validation])
    writers = sidebyside.side_writers(run_dir)  # TensorBoard runs graph/ and keras3/
    trained = train_both_sides(corpus, epochs, args.seed, run_dir, writers)

    actual = corpus.labels[test]
    predicted = {side: probabilities.argmax(1)
                 for side, probabilities in trained["probabilities"].items()}
    predicted["bag_of_words"] = bag.predict(corpus.cleaned_part(test))
    majority = int(np.bincount(corpus.labels[train], minlength=len(classes)).argmax())
    accuracy = {side: float(np.mean(predicted[side] == actual)) for side in predicted}
    accuracy["majority_class"] = float(np.mean(actual == majority))
    print(f"test accuracy: graph (tf.compat.v1) {accuracy['graph']:.4f}, Keras 3 "
          f"{accuracy['keras3']:.4f}, bag of words (TF-IDF + logistic regression, C "
          f"{bag.strength:g}) {accuracy['bag_of_words']:.4f}, majority class "
          f"({classes[majority]}) {accuracy['majority_class']:.4f}")
    tables = {side: report.class_table(classes, actual, predicted[side], "complaints")
              for side in predicted}
    print(report.class_table_text(classes, tables, SIDE_NAMES,
                                  ("product", "complaints", "texts")))
    warning = report.majority_warning(accuracy, len(train))
    if warning:
        print(f"warning: {warning}")

    validating = trained["validating"]
    epochs_trained = {side: len(validating.curves[side]["validation_loss"])
                      for side in sidebyside.SIDES}
    names = np.asarray(classes, dtype=object)  # row: the complaint's row in the data
    report.write_predictions(f"{run_dir}/predictions.csv", {
        "row": test, "product": names[actual],
        **{side: names[classes_of] for side, classes_of in predicted.items()}})
    matrices = sidebyside.finish_classifier(
        run_dir, writers, actual, predicted, len(classes),
        f"09_02_intent_lstm: {len(actual)} test texts; classes "
        + ", ".join(f"{i} {name}" for i, name in enumerate(classes)),
        max(epochs_trained.values()) * batch_count(len(train), BATCH_SIZE),  # the last step
        baselines={"bag_of_words": accuracy["bag_of_words"],
                   "majority_class": accuracy["majority_class"]},
        session=("09_02_intent_lstm", settings(args, epochs, corpus.description)))
    return {"test_accuracy": accuracy, "bag_of_words_accuracy": accuracy["bag_of_words"],
            "bag_of_words": {"strength_C": bag.strength,
                             "validation_accuracy": bag.validation_accuracy},
            "warning": warning, "products": tables, "classes": classes,
            "epochs_trained": epochs_trained,
            "best_epoch": trained["best_epoch"], **validating.history(),
            "initial_max_abs_difference": trained["start_gap"], "data": corpus.description,
            "in_graph_ids_equal_python_ids": trained["ids_equal"],
            "texts": {"train": len(train), "validation": len(corpus.validation),
                      "test": len(test)},
            "vocabulary_size": len(corpus.vocabulary),
            "confusion_matrix": {side: matrix.tolist() for side, matrix in matrices.items()}}


def main(argv=None):
    """Run the lesson with these command-line arguments; return its exit status."""
    return runs.lesson("09_02_intent_lstm", OPTIONS, run, argv)


if __name__ == "__main__":
    runs.prepare_process()  # the process is the script's: line-buffered, deterministic ops
    sys.exit(main())
