/* The chains layer (see chains.c). */
#ifndef PX_CHAINS_H
#define PX_CHAINS_H

const char *chains_layer_name(void);

#endif
