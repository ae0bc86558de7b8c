"""09_01_rnn_image_rows: classify handwritten digits by reading each image row by row.

The sequence classifier of the Hands-On Machine Learning chapter-14 notes, twice, from the
same initial weights on the same batches:

  Keras (the notes' model, as Keras 3)   Input((rows, columns)) -> SimpleRNN(150, relu)
                                         -> Dense(10, softmax); sparse categorical
                                         cross-entropy, Adam
  graph (the TF1 code, tf.compat.v1)     inputs: X [None, rows, columns], y [None] int32
                                         recurrent_layer: BasicRNNCell(150, relu) under
                                           dynamic_rnn; its final state
                                         predictions: dense `prediction` -> 10 logits
                                         loss: sparse_softmax_cross_entropy_with_logits
                                         training: AdamOptimizer(0.001)
                                         accuracy: in_top_k(logits, y, 1)

Each image row is one time step: the built-in data, scikit-learn's 8x8 digits, makes 8
steps of 8 pixels (--data mnist.npz: Keras' MNIST file, 28 steps of 28). The run prints
both sides' validation accuracy after every epoch, then their test accuracy beside the
majority class, and the accuracy of every class.

Writes into logs/09_01_rnn_image_rows/<run-id>/: metrics.json, predictions.csv (each
test image's label and both sides' predicted class), confusion.png, and TensorBoard runs:
graph/ (the graph, its loss and accuracy curves, the confusion image) and keras3/ (its
curves under the same tags).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from graphrnn import options  # noqa: E402  (argparse only)

EPOCHS, QUICK_EPOCHS = 10, 2
OPTIONS = options.lesson("09_01_rnn_image_rows", __doc__)
OPTIONS.add_argument("--data", metavar="NPZ",
                     help="the Keras MNIST file, mnist.npz (default: scikit-learn's 8x8 digits)")
OPTIONS.add_argument("--epochs", type=int,
                     help=f"passes over the training images (default {EPOCHS}; "
                          f"--quick {QUICK_EPOCHS})")
options.answer_early(__name__, OPTIONS)  # --help and option errors: at once, not after TF loads

import numpy as np  # noqa: E402

from graphrnn import digits, graph_holder, keras_twins, layers, report, runs, tags  # noqa: E402
from graphrnn import sidebyside  # noqa: E402  (Keras 3)
from graphrnn.train import Validation, batch_count  # noqa: E402
from graphrnn.compat import tf, v1  # noqa: E402
from graphrnn.data_common import DataError  # noqa: E402

UNITS, CLASSES = 150, digits.CLASSES
LEARNING_RATE, BATCH_SIZE = 0.001, 32  # Adam's default rate; Keras fit's default batch
QUICK_TRAIN_IMAGES = 300  # --quick trains on the first 300 training images


def graph(rows, columns):
    """The notes' TF1 graph (for graph_holder.build_graph, which seeds it)."""
    with v1.variable_scope("inputs"):
        X = v1.placeholder(tf.float32, [None, rows, columns], name="images")
        y = v1.placeholder(tf.int32, [None], name="labels")
        global_step = tf.Variable(0, trainable=False, name="global_step")
    # recurrent_layer: BasicRNNCell(150, relu) under dynamic_rnn -> final state (B, 150)
    _, state = layers.basic_rnn_layer(X, UNITS, activation=tf.nn.relu)
    with v1.variable_scope("predictions", initializer=layers.seeded_glorot()):
        logits = v1.layers.dense(state, CLASSES, name="prediction")  # (B, 10)
        probabilities = tf.nn.softmax(logits, name="probabilities")  # what Keras outputs
    with v1.name_scope("loss"):
        xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        loss = tf.reduce_mean(xentropy, name="loss")
    with v1.variable_scope("training"):
        train_op = v1.train.AdamOptimizer(LEARNING_RATE).minimize(loss, global_step=global_step)
    with v1.name_scope("accuracy"):
        correct = v1.nn.in_top_k(logits, y, 1)
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32), name="accuracy")
    return graph_holder.Tensors(predictors=X, target=y, prediction=probabilities, loss=loss,
                                train_op=train_op, global_step=global_step,
                                fetches={"accuracy": accuracy})


def keras_model(weights, rows, columns):
    """SimpleRNN(150, relu) + Dense(10, softmax) holding the graph's weights."""
    stack = keras_twins.Stack("basic_rnn", [{"units": UNITS}], rows, n_features=columns,
                              n_targets=CLASSES, head="last_state", activation="relu",
                              multi_rnn_cell=False, unroll=True, output_activation="softmax")
    return keras_twins.keras_twin(stack, weights, name="keras_image_rows")


def accuracy(labels, probabilities):
    return float(np.mean(np.argmax(probabilities, axis=1) == labels))


def per_class_accuracy(labels, predicted):
    """[accuracy on the images of class c for c in 0..9] (NaN for a class with none)."""
    return [float(np.mean(predicted[labels == c] == c)) if np.any(labels == c) else float("nan")
            for c in range(CLASSES)]


def run(args, run_dir):
    epochs = (QUICK_EPOCHS if args.quick else EPOCHS) if args.epochs is None else args.epochs
    runs.positive("--epochs", epochs)
    try:
        images = digits.load_images(args.data, seed=args.seed)
    except DataError as error:
        raise runs.BadInput(str(error)) from None
    train_x, train_y = images.train_x, images.train_y
    if args.quick:
        train_x, train_y = train_x[:QUICK_TRAIN_IMAGES], train_y[:QUICK_TRAIN_IMAGES]
    rows, columns = images.shape
    print(f"09_01_rnn_image_rows: {images.description}; {len(train_x)} training, "
          f"{len(images.validation_x)} validation, {len(images.test_x)} test images of "
          f"{rows} rows x {columns} pixels; {epochs} epochs")

    steps_per_epoch = batch_count(len(train_x), BATCH_SIZE)  # TensorBoard's x axis
    net = graph_holder.build_graph("09_01_rnn_image_rows", lambda: graph(rows, columns), args.seed)
    writers = sidebyside.side_writers(run_dir)  # TensorBoard runs graph/ and keras3/
    both = sidebyside.both_sides(net, lambda w: keras_model(w, rows, columns), args.seed, run_dir)
    with both as (session, model, graph_predict):
        keras_predict = sidebyside.keras_predict(model)
        start_gap = sidebyside.initial_gap(graph_predict, keras_predict, images.test_x)
        validating = Validation({  # each epoch: curves, summaries, one line
            side: lambda predict=predict: {"validation_accuracy": accuracy(
                images.validation_y, predict(images.validation_x))}
            for side, predict in (("graph", graph_predict), ("keras3", keras_predict))},
            writers, epochs, sidebyside.SIDE_LABELS, tags.classifier(), steps_per_epoch)
        sidebyside.train_both(session, net, sidebyside.keras_train_step(
            model, LEARNING_RATE, classes=True), train_x, train_y, epochs, BATCH_SIZE,
            args.seed, validating)
        graph_probabilities = graph_predict(images.test_x)
        graph_in_top_k = float(session.run(net.fetches["accuracy"], {
            net.predictors: images.test_x, net.target: images.test_y}))
    keras_probabilities = keras_predict(images.test_x)

    labels = images.test_y
    predicted = {"graph": graph_probabilities.argmax(1), "keras3": keras_probabilities.argmax(1)}
    majority = int(np.bincount(train_y, minlength=CLASSES).argmax())
    scores = {"graph": accuracy(labels, graph_probabilities),
              "keras3": accuracy(labels, keras_probabilities),
              "majority_class": float(np.mean(labels == majority))}
    print(f"test accuracy: graph (tf.compat.v1) {scores['graph']:.4f}, Keras 3 "
          f"{scores['keras3']:.4f}, majority class ({majority}) {scores['majority_class']:.4f}")
    by_class = {side: per_class_accuracy(labels, predicted[side]) for side in predicted}
    print("class  images  graph  Keras 3")
    for c in range(CLASSES):
        print(f"{c:5d}  {np.sum(labels == c):6d}  {by_class['graph'][c]:5.3f}  "
              f"{by_class['keras3'][c]:7.3f}")

    report.write_predictions(f"{run_dir}/predictions.csv", {
        "image": np.arange(len(labels)), "label": labels, **predicted})
    matrices = sidebyside.finish_classifier(
        run_dir, writers, labels, predicted, CLASSES,
        f"09_01_rnn_image_rows: {len(labels)} test images ({images.description})",
        epochs * steps_per_epoch,
        session=("09_01_rnn_image_rows", {
            "DATA": images.description, "UNITS": UNITS, "LEARNING_RATE": LEARNING_RATE,
            "BATCH_SIZE": BATCH_SIZE, "EPOCHS": epochs, "SEED": args.seed,
            "QUICK": bool(args.quick)}))
    return {"test_accuracy": scores, "graph_in_top_k_accuracy": graph_in_top_k,
            "per_class_accuracy": by_class, "epochs": epochs, **validating.history(),
            "confusion_matrix": {side: matrix.tolist() for side, matrix in matrices.items()},
            "initial_max_abs_difference": start_gap, "data": images.description,
            "images": {"train": len(train_x), "validation": len(images.validation_x),
                       "test": len(images.test_x)}}


def main(argv=None):
    """Run the lesson with these command-line arguments; return its exit status."""
    return runs.lesson("09_01_rnn_image_rows", OPTIONS, run, argv)


if __name__ == "__main__":
    runs.prepare_process()  # the process is the script's: line-buffered, deterministic ops
    sys.exit(main())
