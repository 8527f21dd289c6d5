/* The chains layer: I/O with chains (CometBFT and Ethereum RPC clients) and
 * their wire formats (Cosmos SDK transactions). This file only anchors the
 * library; each part lives in its own folder. */
#include "chains/chains.h"

const char *chains_layer_name(void)
{
	return "chains";
}
