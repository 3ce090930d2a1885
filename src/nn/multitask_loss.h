/* multitask_loss.h — several output heads on one shared network, one loss.
 *
 * The network's output row of V columns is cut into heads: head h owns the
 * columns [offset, offset + width) and has its own softmax over them, its own
 * loss (CTC with the blank at the slice's first column, or frame
 * cross-entropy), its own targets and a weight. An affine output layer over
 * all V columns is then exactly one linear output layer per head on top of
 * a shared encoder, since every column has its own weights. For one
 * utterance of T frames, with P the heads whose label is present,
 *   loss = sum_{h in P} weight_h * loss_h(logits[:, slice_h], labels_h)
 *   d loss / d logits[:, slice_h] = weight_h * d loss_h / d logits[:, slice_h]   (h in P)
 *                                 = 0      (h masked, and columns of no head)
 * A head whose label is missing for this utterance (labels[h] == NULL) is
 * masked: zero loss and zero gradient, so it pulls neither the shared encoder
 * nor its own output units, while the other heads train as usual. A head of
 * weight 0 is masked for every utterance.
 *
 * One CTC head over all columns with weight 1 is plain ctc_loss bit for bit
 * (the slice is copied exactly and SCALE * 1.0f == SCALE): single-task
 * training is the degenerate case of this code path, not a second one.
 *
 * When a present head's labels cannot fit (CTC: too few frames for them; CE:
 * not exactly one label per frame), the utterance as a whole is unusable: the
 * loss is +INFINITY and the whole gradient zero, as ctc_loss does alone.
 */
#ifndef ASR_NN_MULTITASK_LOSS_H
#define ASR_NN_MULTITASK_LOSS_H

#define MT_MAX_HEADS 4

typedef enum { MT_CTC, MT_CE } mt_loss;

typedef struct {
    const char *name;  /* for messages and logs */
    int offset, width; /* columns of the network's output row */
    mt_loss loss;
    float weight; /* >= 0 */
} mt_head;

/* One CTC head "out" over all V columns with weight 1: plain CTC. */
mt_head multitask_single(int V);

/* -1 with a message naming the head unless 1 <= N <= MT_MAX_HEADS, every
 * head lies inside V columns without overlapping another, a CTC head has a
 * blank and at least one symbol, and every weight is finite and >= 0. */
int multitask_check(const mt_head *heads, int n, int V);

/* Loss of one utterance: LOGITS [T][V]; LABELS[h] the LENS[h] targets of
 * head h (CTC: symbols 1..width-1; CE: one per frame, -1 = ignored), or NULL
 * when the utterance has no label for it. When GRAD is not NULL it receives
 * SCALE * d loss / d logits ([T][V], overwritten). When HEAD_LOSS is not
 * NULL, HEAD_LOSS[h] receives head h's unweighted loss (0 when masked,
 * +INFINITY when its labels do not fit). NaN when a CE label is outside the
 * head's columns. */
double multitask_loss(const mt_head *heads, int nheads, const float *logits, int T, int V,
                      const int *const *labels, const int *lens, float *grad, float scale,
                      double *head_loss);

#endif
