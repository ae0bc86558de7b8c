"""A TF1-era between-graph replicated training script: one ps task holds the variables,
each worker task builds its own copy of the graph (replica_device_setter) and trains a GRU
on a sine through MonitoredTrainingSession until StopAtStepHook's last step, each
applying its own updates (asynchronous). The ps task stops once every worker has signalled
on a shared queue that it is done. With --sync_replicas, SyncReplicasOptimizer averages
one gradient from each worker per global step instead.

    python distributed_gru.py --job_name=ps --task_index=0 --ps_hosts=HOST:PORT \
        --worker_hosts=HOST:PORT,HOST:PORT --train_steps=30 [--result=r.npz] \
        [--sync_replicas] [--log_every=10]
"""
import sys

import numpy as np
import tensorflow as tf

flags = tf.app.flags
flags.DEFINE_string("ps_hosts", "", "comma-separated host:port of the ps tasks")
flags.DEFINE_string("worker_hosts", "", "comma-separated host:port of the worker tasks")
flags.DEFINE_string("job_name", "", "ps or worker")
flags.DEFINE_integer("task_index", 0, "index of the task within its job")
flags.DEFINE_integer("train_steps", 30, "global steps to train for")
flags.DEFINE_string("result", "", ".npz a worker writes its losses and steps to")
flags.DEFINE_boolean("sync_replicas", False, "average the workers' gradients each step")
flags.DEFINE_integer("log_every", 0, "print a worker's progress every this many steps")
FLAGS = flags.FLAGS


def shared_queue(name, capacity):
    """A queue on the ps task that every task can reach by its shared name."""
    with tf.device("/job:ps/task:0"):
        return tf.FIFOQueue(capacity, tf.int32, shared_name=name)


def run_once(monitored_session, op):
    """Run an op in a MonitoredTrainingSession without its hooks (not a training step)."""
    monitored_session.run_step_fn(lambda step_context: step_context.session.run(op))


def main(_):
    ps_hosts, worker_hosts = FLAGS.ps_hosts.split(","), FLAGS.worker_hosts.split(",")
    cluster = tf.train.ClusterSpec({"ps": ps_hosts, "worker": worker_hosts})
    server = tf.train.Server(cluster, job_name=FLAGS.job_name, task_index=FLAGS.task_index)
    num_workers = len(worker_hosts)
    ready = shared_queue("ready_queue", num_workers)    # the chief: "variables initialised"
    joined = shared_queue("joined_queue", num_workers)  # each other worker: "I am in"
    done = shared_queue("done_queue", num_workers)      # each worker: "I am done"

    if FLAGS.job_name == "ps":
        with tf.Session(server.target, config=tf.ConfigProto(device_filters=["/job:ps"])) as sess:
            for _ in worker_hosts:
                sess.run(done.dequeue())
        print("ps: every worker is done")
        return

    is_chief = FLAGS.task_index == 0
    with tf.device(tf.train.replica_device_setter(
            worker_device="/job:worker/task:%d" % FLAGS.task_index, cluster=cluster)):
        global_step = tf.train.get_or_create_global_step()
        x = tf.placeholder(tf.float32, [None, 8, 1])
        y = tf.placeholder(tf.float32, [None, 1])
        cell = tf.nn.rnn_cell.GRUCell(8)
        _, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        prediction = tf.layers.dense(state, 1)
        loss = tf.losses.mean_squared_error(y, prediction)
        optimizer = tf.train.AdamOptimizer(0.02)
        hooks = [tf.train.StopAtStepHook(last_step=FLAGS.train_steps)]
        if FLAGS.sync_replicas:
            optimizer = tf.train.SyncReplicasOptimizer(
                optimizer, replicas_to_aggregate=num_workers, total_num_replicas=num_workers)
            hooks.append(optimizer.make_session_run_hook(is_chief))
        train_op = optimizer.minimize(loss, global_step=global_step)
    signal_ready, wait_until_ready = ready.enqueue_many([[1] * (num_workers - 1)]), ready.dequeue()
    join, wait_for_one_join, signal_done = joined.enqueue(1), joined.dequeue(), done.enqueue(1)

    rng = np.random.RandomState(FLAGS.task_index)
    series = np.sin(np.arange(400) * 0.2)
    losses, steps = [], []
    # each worker talks to the ps and itself only: another worker that is not up yet, or
    # already gone, must not fail its session (the chief would re-initialise the variables)
    config = tf.ConfigProto(device_filters=["/job:ps",
                                            "/job:worker/task:%d" % FLAGS.task_index])
    if not is_chief:  # wait for the chief's initialisation here, not in the session
        with tf.Session(server.target, config=config) as sess:  # creator's 30 s naps
            sess.run(wait_until_ready)
    with tf.train.MonitoredTrainingSession(master=server.target, is_chief=is_chief,
                                           hooks=hooks, config=config) as sess:
        # the chief starts training once every other worker is in, so that all train
        if is_chief:
            run_once(sess, signal_ready)
        for _ in range(num_workers - 1 if is_chief else 1):
            run_once(sess, wait_for_one_join if is_chief else join)
        while not sess.should_stop():
            starts = rng.randint(0, 390, size=16)
            batch_x = np.stack([series[s:s + 8] for s in starts])[:, :, None]
            batch_y = series[starts + 8][:, None]
            _, value, step = sess.run([train_op, loss, global_step], {x: batch_x, y: batch_y})
            losses.append(value)
            steps.append(step)
            if FLAGS.log_every and len(losses) % FLAGS.log_every == 0:
                print("worker %d: local step %d, global step %d"
                      % (FLAGS.task_index, len(losses), step))
                sys.stdout.flush()
    with tf.Session(server.target, config=config) as sess:
        final_step = sess.run(global_step)
        sess.run(signal_done)
    print("worker %d: %d local steps, global step %d" % (FLAGS.task_index, len(losses),
                                                         final_step))
    if FLAGS.result:
        np.savez(FLAGS.result, losses=losses, steps=steps, final_step=final_step)


if __name__ == "__main__":
    tf.app.run()
