"""tf.contrib.seq2seq, rebuilt with TF 1.15's semantics and variable names (TF 1.15's
tensorflow/contrib/seq2seq/); this file gathers the names, as TF's own __init__ did.

    decoding     Decoder, dynamic_decode, BasicDecoder and the helpers
    attention    the attention mechanisms and AttentionWrapper
    beam_search  BeamSearchDecoder, tile_batch, gather_tree
    loss         sequence_loss
    release_1_0  TF 1.0-1.1's API: dynamic_rnn_decoder and its decoder functions
                 (SEQ2SEQ_1_0, MODULES_1_0; the view gives them beside TF 1.15's)

    SEQ2SEQ          every name tf.contrib.seq2seq gives
    SEQ2SEQ_MODULES  the same under TF 1.15's module paths
                     (tensorflow.contrib.seq2seq.python.ops.attention_wrapper, ...)
"""

from graphrnn.tf1.api.contrib.seq2seq import attention, beam_search, decoding, loss


def _pick(table, *names):
    return {name: table[name] for name in names}


# TF 1.15's tensorflow/contrib/seq2seq/python/ops/<module>.py and what each defines
SEQ2SEQ_MODULES = {
    "decoder": _pick(decoding.DECODING, "Decoder", "dynamic_decode"),
    "basic_decoder": _pick(decoding.DECODING, "BasicDecoder", "BasicDecoderOutput"),
    "helper": _pick(decoding.DECODING, "Helper", "CustomHelper", "TrainingHelper",
                    "GreedyEmbeddingHelper", "SampleEmbeddingHelper",
                    "ScheduledEmbeddingTrainingHelper", "ScheduledOutputTrainingHelper",
                    "InferenceHelper"),
    "attention_wrapper": dict(attention.ATTENTION),
    "beam_search_decoder": _pick(beam_search.BEAM_SEARCH, "BeamSearchDecoder",
                                 "BeamSearchDecoderOutput", "BeamSearchDecoderState",
                                 "FinalBeamSearchDecoderOutput", "tile_batch"),
    "beam_search_ops": _pick(beam_search.BEAM_SEARCH, "gather_tree"),
    "loss": {"sequence_loss": loss.sequence_loss},
}
SEQ2SEQ = {name: value for module in SEQ2SEQ_MODULES.values() for name, value in module.items()}
