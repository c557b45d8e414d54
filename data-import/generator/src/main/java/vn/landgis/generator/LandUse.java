package vn.landgis.generator;

/** Land-use codes the generator draws (Circular 08/2024/TT-BTNMT) and whether the land is public. */
enum LandUse {
    ODT(false), ONT(false), CLN(false), HNK(false), LUC(false), LUK(false), NTS(false), TMD(false), SKC(false),
    DGT(true), DTL(true), SON(true), DGD(true), DYT(true), TSC(true), DVH(true), DTT(true), DCH(true),
    TON(false), TIN(false), NTD(true), MNC(true), BCS(true), DKV(true);

    final boolean publicLand;

    LandUse(boolean publicLand) {
        this.publicLand = publicLand;
    }
}
