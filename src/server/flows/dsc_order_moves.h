/* The moves of an R21 DSC+ order, inside a transaction, each one
 * compare-and-swap update of the order as the caller read it (store.h,
 * dsc_order_update): nothing is written when it changed meanwhile, nor when
 * the order as read is not where the move starts (SLS_ERR_CONFLICT): only
 * an ordered order ships, only a shipped one records notices or settles.
 * Whether a move is due is the caller's (core/dsc_plus.h). */
#ifndef SLS_SERVER_FLOWS_DSC_ORDER_MOVES_H
#define SLS_SERVER_FLOWS_DSC_ORDER_MOVES_H

#include "store/store.h"

/* Order o (as read, ORDERED) shipped with card device_id at `at`. */
int sls_dsc_order_ship(struct sls_db *db, const struct sls_dsc_order_rec *o, const char *device_id,
                       sls_time at);
/* Order o (as read) has the notices `notices` sent. */
int sls_dsc_order_notices(struct sls_db *db, const struct sls_dsc_order_rec *o, unsigned notices);
/* Order o (as read, SHIPPED) settled at `at`: its card left the shipped state. */
int sls_dsc_order_settle(struct sls_db *db, const struct sls_dsc_order_rec *o, sls_time at);

#endif
