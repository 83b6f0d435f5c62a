/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the fault and stress modes. */
#ifndef RING0_PAYLOAD_FAULTS_H
#define RING0_PAYLOAD_FAULTS_H

/* Maps the read-only target page; with handled, installs the handlers. */
void faults_setup(int handled, int quiet);
/* Raises the fault called name; returns -1 for an unknown name. */
int fault_trigger(const char *name);
/* Faults the handler has seen. */
extern volatile unsigned long faults_caught;

#endif
